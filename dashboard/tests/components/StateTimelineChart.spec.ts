import { flushPromises, mount } from '@vue/test-utils';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LineTimeline, StationState } from '@floorboard/shared';
import StateTimelineChart from '../../src/components/charts/StateTimelineChart.vue';

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
});
