import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { LineKpis, LineThroughputTrend, LineTimeline, PlantCalendar } from '@floorboard/shared';
import { routes } from '../../src/router';
import { useLinesStore } from '../../src/stores/lines';
import LineLiveView from '../../src/views/line/LineLiveView.vue';
import { ASSEMBLY_SUMMARY } from '../support/fixtures';
import { errorResponse, stubApi, type ApiCall } from '../support/http';

const CALENDAR: PlantCalendar = {
  timezone: 'Europe/Berlin',
  productionDayStart: '06:00',
  shifts: [
    { name: 'Early', start: '06:00', end: '14:00' },
    { name: 'Late', start: '14:00', end: '22:00' },
    { name: 'Night', start: '22:00', end: '06:00' },
  ],
};

function kpis(call: ApiCall): LineKpis {
  return {
    line: 'assembly-1',
    from: '2026-03-02T05:00:00.000Z',
    to: '2026-03-03T05:00:00.000Z',
    analysedTo: '2026-03-03T05:00:00.000Z',
    hours: 24,
    shift: call.query.get('shift'),
    date: call.query.get('date'),
    outputStation: 'paint',
    oee: { availability: 0.9, performance: 0.8, quality: 0.95, oee: 0.684 },
    throughput: { unitsPerHour: 61.5, targetPerHour: 90, good: 1476, scrap: 24 },
    bottleneck: {
      station: 'weld',
      shares: [
        { station: 'press', sole: 0.1, shifting: 0.05 },
        { station: 'weld', sole: 0.6, shifting: 0.1 },
        { station: 'paint', sole: 0.05, shifting: 0.05 },
      ],
    },
    downtime: [
      { reason: 'jam', seconds: 1800, count: 3 },
      { reason: null, seconds: 600, count: 1 },
    ],
    stateSeconds: {},
    mtbfSeconds: null,
    mttrSeconds: null,
  };
}

const timeline = (call: ApiCall): LineTimeline => ({
  line: 'assembly-1',
  from: call.query.get('from')!,
  to: call.query.get('to')!,
  analysedTo: call.query.get('to')!,
  stations: ['press', 'weld', 'paint'].map((station) => ({ station, intervals: [] })),
});

const trend = (): LineThroughputTrend => ({
  line: 'assembly-1',
  from: '2026-03-02T05:00:00.000Z',
  to: '2026-03-03T05:00:00.000Z',
  analysedTo: '2026-03-03T05:00:00.000Z',
  shift: null,
  date: '2026-03-02',
  outputStation: 'paint',
  bucketMinutes: 15,
  targetPerHour: 90,
  buckets: [],
});

/** Charts draw on canvas, which jsdom lacks: they are stubbed here and tested on their own. */
const CHART_STUBS = {
  StateTimelineChart: true,
  ThroughputTrendChart: true,
  DowntimeParetoChart: true,
  BottleneckSharesChart: true,
};

describe('LineLiveView history', () => {
  let pinia: Pinia;
  let router: Router;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    useLinesStore().summaries = [ASSEMBLY_SUMMARY];
    router = createRouter({ history: createMemoryHistory(), routes });
  });

  async function mountAt(url: string) {
    await router.push(url);
    const wrapper = mount(LineLiveView, {
      props: { lineKey: 'assembly-1' },
      global: { plugins: [pinia, router], stubs: CHART_STUBS },
    });
    await flushPromises();
    return wrapper;
  }

  function api(overrides: Record<string, unknown> = {}) {
    return stubApi({
      'GET /plant/calendar': CALENDAR,
      'GET /lines/assembly-1/kpis': (call: ApiCall) => new Response(JSON.stringify(kpis(call)), { status: 200 }),
      'GET /lines/assembly-1/timeline': (call: ApiCall) =>
        new Response(JSON.stringify(timeline(call)), { status: 200 }),
      'GET /lines/assembly-1/throughput': trend(),
      'GET /reasons': [],
      ...overrides,
    });
  }

  it('loads the production day named in the URL and hands the figures to the charts', async () => {
    const server = api();
    const wrapper = await mountAt('/lines/assembly-1?range=day&date=2026-03-02');

    expect(server.to('GET /lines/assembly-1/kpis').map((c) => c.query.toString())).toEqual(['date=2026-03-02']);
    expect(server.to('GET /lines/assembly-1/throughput').map((c) => c.query.toString())).toEqual(['date=2026-03-02']);
    const [timelineCall] = server.to('GET /lines/assembly-1/timeline');
    // A day in at most 4000 pixels: intervals under 21.6 s are merged on the server.
    expect(Object.fromEntries(timelineCall!.query)).toEqual({
      from: '2026-03-02T05:00:00.000Z',
      to: '2026-03-03T05:00:00.000Z',
      resolutionMs: '21600',
    });
    expect(wrapper.get('[data-testid="range-label"]').text()).toBe('Production day Mar 2, 2026 (06:00–06:00)');
    expect(wrapper.get('[data-testid="kpi-oee"]').text()).toBe('68.4%');
    expect(wrapper.get('[data-testid="kpi-apq"]').text()).toBe('A 90.0% · P 80.0% · Q 95.0%');
    expect(wrapper.get('[data-testid="kpi-good-scrap"]').text()).toBe('1,476 / 24');

    const timelineChart = wrapper.getComponent({ name: 'StateTimelineChart' });
    expect(timelineChart.props()).toMatchObject({
      bottleneck: 'weld',
      from: Date.parse('2026-03-02T05:00:00Z'),
      to: Date.parse('2026-03-03T05:00:00Z'),
      stationNames: { press: 'Press', weld: 'Weld', paint: 'Paint' },
    });
    expect(wrapper.getComponent({ name: 'DowntimeParetoChart' }).props('downtime')).toHaveLength(2);
    expect(wrapper.getComponent({ name: 'BottleneckSharesChart' }).props('bottleneck')).toMatchObject({
      station: 'weld',
    });
    wrapper.unmount();
  });

  it('puts a picked shift into the URL and loads it', async () => {
    const server = api();
    const wrapper = await mountAt('/lines/assembly-1?range=day&date=2026-03-02');
    await wrapper.get('[data-testid="range-kind"]').setValue('shift');
    await wrapper.get('[data-testid="range-date"]').setValue('2026-02-27');
    await wrapper.get('[data-testid="range-shift"]').setValue('Night');
    await flushPromises();

    expect(router.currentRoute.value.query).toEqual({ range: 'shift', date: '2026-02-27', shift: 'Night' });
    expect(server.to('GET /lines/assembly-1/kpis').at(-1)!.query.toString()).toBe('shift=Night&date=2026-02-27');
    expect(wrapper.get('[data-testid="range-label"]').text()).toBe(
      'Shift Night, production day Feb 27, 2026 (22:00–06:00)',
    );
    wrapper.unmount();
  });

  it('shows why the history could not be loaded, and the live part stays', async () => {
    api({ 'GET /lines/assembly-1/kpis': errorResponse(400, 'KPI_WINDOW_TOO_LONG') });
    const wrapper = await mountAt('/lines/assembly-1?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z');
    expect(wrapper.get('[data-testid="history-error"]').text()).toBe('Pick a range of at most 31 days.');
    expect(wrapper.find('[data-testid="kpi-figures"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('Waiting for live data…');
    wrapper.unmount();
  });

  it('says so when the URL names a shift the plant calendar does not know', async () => {
    const server = api();
    const wrapper = await mountAt('/lines/assembly-1?range=shift&date=2026-03-02&shift=Noon');
    expect(wrapper.find('[data-testid="range-unknown"]').exists()).toBe(true);
    expect(server.to('GET /lines/assembly-1/kpis')).toEqual([]);
    wrapper.unmount();
  });
});
