import { flushPromises, mount } from '@vue/test-utils';
import { getInstanceByDom, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LineThroughputTrend } from '@floorboard/shared';
import ThroughputTrendChart from '../../src/components/charts/ThroughputTrendChart.vue';
import { usePlantCalendarStore } from '../../src/stores/plant-calendar';

use([SVGRenderer]);

const HOUR = 3_600_000;

/** Buckets of `minutes` over [from, from + count buckets), 80 good units per hour each. */
function trend(from: number, minutes: number, count: number): LineThroughputTrend {
  const ms = minutes * 60_000;
  const to = new Date(from + count * ms).toISOString();
  return {
    line: 'assembly-1',
    from: new Date(from).toISOString(),
    to,
    analysedTo: to,
    shift: null,
    date: null,
    outputStation: 'paint',
    bucketMinutes: minutes,
    targetPerHour: 90,
    buckets: Array.from({ length: count }, (_, i) => ({
      start: from + i * ms,
      end: from + (i + 1) * ms,
      good: (80 * minutes) / 60,
      scrap: 2,
      unitsPerHour: 80,
    })),
  };
}

/** The x axis labels drawn (times and dates; the y axis has numbers and its name). */
const timeLabels = (wrapper: ReturnType<typeof mount>) =>
  wrapper
    .findAll('svg text')
    .map((text) => text.text())
    .filter((text) => /^\d\d:\d\d|^[A-Z][a-z]{2} \d/.test(text));

describe('ThroughputTrendChart on the plant’s clock, in a browser running on UTC', () => {
  const browserZone = process.env.TZ;
  let pinia: Pinia;

  // The browser's zone is not the plant's: ECharts on its own would put ticks at UTC's whole hours and midnights.
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    process.env.TZ = browserZone;
  });

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        disconnect() {}
      },
    );
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  });

  async function mountChart(timezone: string, data: LineThroughputTrend) {
    usePlantCalendarStore().calendar = { timezone, productionDayStart: '06:00', shifts: [] };
    const wrapper = mount(ThroughputTrendChart, {
      props: { trend: data, renderer: 'svg', width: 1130, height: 260 },
      attachTo: document.body,
      global: { plugins: [pinia] },
    });
    await flushPromises();
    return wrapper;
  }

  it('ticks a Kolkata shift (+05:30) at its whole hours, and its tooltip names the bucket in plant time', async () => {
    const from = Date.parse('2026-03-02T06:00:00+05:30');
    expect(new Date(from).getMinutes()).toBe(30); // half past in the browser's zone
    const wrapper = await mountChart('Asia/Kolkata', trend(from, 60, 8));
    expect(timeLabels(wrapper)).toEqual([
      '06:00',
      '07:00',
      '08:00',
      '09:00',
      '10:00',
      '11:00',
      '12:00',
      '13:00',
      '14:00',
    ]);

    const chart = getInstanceByDom(wrapper.get('[role="img"]').element as HTMLElement)!;
    const { formatter } = (chart.getOption().tooltip as { formatter: (params: unknown) => string }[])[0]!;
    const tip = formatter([{ value: [from + 1.5 * HOUR, 80], marker: '' }]);
    expect(tip).toContain('07:00 – 08:00');
    expect(tip).toContain('80 good, 2 scrap');
    wrapper.unmount();
  });

  it('ticks a Chicago week at the plant’s midnights with the plant’s dates, across the change to CDT', async () => {
    const from = Date.parse('2026-03-02T00:00:00-06:00');
    const wrapper = await mountChart('America/Chicago', trend(from, 1440, 7));
    expect(timeLabels(wrapper)).toEqual(['Mar 2', 'Mar 3', 'Mar 4', 'Mar 5', 'Mar 6', 'Mar 7', 'Mar 8', 'Mar 9']);
    wrapper.unmount();
  });

  it('labels both readings of the hour Berlin repeats with their zone', async () => {
    const wrapper = await mountChart('Europe/Berlin', trend(Date.UTC(2026, 9, 24, 23), 30, 8));
    expect(timeLabels(wrapper)).toEqual([
      '01:00',
      '01:30',
      '02:00 GMT+2',
      '02:30 GMT+2',
      '02:00 GMT+1',
      '02:30 GMT+1',
      '03:00',
      '03:30',
      '04:00',
    ]);
    wrapper.unmount();
  });
});
