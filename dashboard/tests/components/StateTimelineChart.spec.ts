import { flushPromises, mount } from '@vue/test-utils';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LineTimeline, StationState } from '@floorboard/shared';
import StateTimelineChart from '../../src/components/charts/StateTimelineChart.vue';
import { usePlantCalendarStore } from '../../src/stores/plant-calendar';

use([SVGRenderer]);

const FROM = Date.parse('2026-03-02T05:00:00Z');
const DAY = 86_400_000;

/** A day of 30 s intervals alternating running/starved on `press`, and one long running interval on `weld`. */
function busyDay(): LineTimeline {
  const states: StationState[] = ['running', 'running', 'starved'];
  const intervals = Array.from({ length: DAY / 30_000 }, (_, i) => ({
    state: states[i % 3]!,
    reason: null,
    start: FROM + i * 30_000,
    end: FROM + (i + 1) * 30_000,
  }));
  return {
    line: 'assembly-1',
    from: new Date(FROM).toISOString(),
    to: new Date(FROM + DAY).toISOString(),
    analysedTo: new Date(FROM + DAY).toISOString(),
    stations: [
      { station: 'press', intervals },
      { station: 'weld', intervals: [{ state: 'down', reason: 'jam', start: FROM, end: FROM + DAY }] },
    ],
  };
}

describe('StateTimelineChart', () => {
  beforeEach(() => {
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        disconnect() {}
      },
    );
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  });

  const mountChart = (downsample: boolean) =>
    mount(StateTimelineChart, {
      props: {
        timeline: busyDay(),
        from: FROM,
        to: FROM + DAY,
        downsample,
        renderer: 'svg',
        width: 1130,
        height: 120,
      },
      attachTo: document.body,
    });

  it('draws a day of 30 s intervals as about one interval per pixel, and every one without downsampling', async () => {
    const downsampled = mountChart(true);
    await flushPromises();
    const full = mountChart(false);
    await flushPromises();
    await vi.waitFor(() => expect(downsampled.emitted('rendered')).toBeTruthy());
    await vi.waitFor(() => expect(full.emitted('rendered')).toBeTruthy());
    const [small] = downsampled.emitted<[{ drawn: number; received: number }]>('rendered')!.at(-1)!;
    const [large] = full.emitted<[{ drawn: number; received: number }]>('rendered')!.at(-1)!;
    expect(large).toEqual({ drawn: 2881, received: 2881 });
    // 984 px of plot: a pixel covers ~88 s, so three 30 s intervals make a group, each mostly running; the groups
    // join into one running interval, and weld's day-long stop stays one interval.
    expect(small).toEqual({ drawn: 2, received: 2881 });
    expect(downsampled.find('svg path').exists()).toBe(true);
    downsampled.unmount();
    full.unmount();
  });

  it('names every state it shows in the legend, with the tiles icons', () => {
    const wrapper = mountChart(true);
    const items = wrapper.findAll('[data-testid="state-legend"] li');
    expect(items.map((li) => [li.attributes('data-state'), li.text()])).toEqual([
      ['running', 'Running'],
      ['starved', 'Starved'],
      ['down', 'Down'],
    ]);
    expect(items.every((li) => li.find('svg').exists())).toBe(true);
    wrapper.unmount();
  });

  describe('on the plant’s clock, in a browser running on UTC', () => {
    const browserZone = process.env.TZ;
    let pinia: Pinia;
    beforeEach(() => {
      process.env.TZ = 'UTC';
      pinia = createPinia();
      setActivePinia(pinia);
    });
    afterEach(() => {
      process.env.TZ = browserZone;
    });

    const axisLabels = async (timezone: string, from: number, to: number) => {
      usePlantCalendarStore().calendar = { timezone, productionDayStart: '06:00', shifts: [] };
      const timeline = { ...busyDay(), from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      const wrapper = mount(StateTimelineChart, {
        props: { timeline, from, to, renderer: 'svg', width: 1130, height: 120 },
        attachTo: document.body,
        global: { plugins: [pinia] },
      });
      await flushPromises();
      const labels = wrapper
        .findAll('svg text')
        .map((text) => text.text())
        .filter((text) => /^\d\d:\d\d|^[A-Z][a-z]{2} \d/.test(text));
      wrapper.unmount();
      return labels;
    };

    it('ticks the plant’s whole hours in Kolkata (+05:30) and its midnight with the plant’s date', async () => {
      const from = Date.parse('2026-03-02T00:00:00+05:30');
      // A day over 984 px of plot: every 3 hours, from plant midnight to plant midnight.
      await expect(axisLabels('Asia/Kolkata', from, from + DAY)).resolves.toEqual([
        'Mar 2',
        '03:00',
        '06:00',
        '09:00',
        '12:00',
        '15:00',
        '18:00',
        '21:00',
        'Mar 3',
      ]);
    });

    it('shows a Chicago night shift’s midnight as the plant’s new date', async () => {
      const from = Date.parse('2026-03-02T22:00:00-06:00');
      await expect(axisLabels('America/Chicago', from, from + 8 * 3_600_000)).resolves.toEqual([
        '22:00',
        '23:00',
        'Mar 3',
        '01:00',
        '02:00',
        '03:00',
        '04:00',
        '05:00',
        '06:00',
      ]);
    });
  });
});
