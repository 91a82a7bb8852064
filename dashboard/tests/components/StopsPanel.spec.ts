import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role, Stop } from '@floorboard/shared';
import StopsPanel from '../../src/components/stops/StopsPanel.vue';
import { useLinesStore } from '../../src/stores/lines';
import { useLiveStore } from '../../src/stores/live';
import { ASSEMBLY_SUMMARY, snapshotPayload, stateChanged, T0 } from '../support/fixtures';
import { errorResponse, jsonResponse, stubApi } from '../support/http';
import { storeSession } from '../support/session';
import { REASONS, stop } from '../support/stops-fixtures';

const CALENDAR = {
  timezone: 'UTC',
  productionDayStart: '06:00',
  shifts: [
    { name: 'Early', start: '06:00', end: '14:00' },
    { name: 'Late', start: '14:00', end: '22:00' },
  ],
};

describe('StopsPanel', () => {
  let pinia: Pinia;
  let stops: Stop[];
  const pressStop = () => stop('press', 60, 180, { stationReason: 'E-42' });
  const weldStop = () => stop('weld', 300, null, { reason: 'jam', reasonSource: 'station', stationReason: 'jam' });

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0 + 600_000);
    localStorage.clear();
    stops = [pressStop(), weldStop()];
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  function api(overrides: Record<string, Parameters<typeof stubApi>[0][string]> = {}) {
    return stubApi({
      'GET /plant/calendar': CALENDAR,
      'GET /reasons': REASONS,
      'GET /lines/assembly-1/stops': () => jsonResponse(200, stops),
      [`PUT /stops/${pressStop().id}/reason`]: (call) => {
        const { reasonKey } = call.body as { reasonKey: string };
        // As the server answers: who classified it (the signed-in user) and when (now).
        const classified = {
          reason: reasonKey,
          reasonSource: 'coordinator' as const,
          classifiedBy: 'coordinator-1',
          classifiedAt: new Date().toISOString(),
        };
        stops = stops.map((s) => (s.id === pressStop().id ? { ...s, ...classified } : s));
        return jsonResponse(200, stops[0]);
      },
      ...overrides,
    });
  }

  async function mountAs(role: Role, props: { range?: { from: number; to: number } } = {}) {
    storeSession(role);
    pinia = createPinia();
    setActivePinia(pinia);
    useLinesStore().summaries = [ASSEMBLY_SUMMARY];
    const wrapper = mount(StopsPanel, { props: { lineKey: 'assembly-1', ...props }, global: { plugins: [pinia] } });
    await flushPromises();
    return wrapper;
  }

  const rows = (w: Awaited<ReturnType<typeof mountAs>>) => w.findAll('[data-testid="stop-row"]');

  it('lists the stops newest first with station, duration, reason and who gave it', async () => {
    const calls = api();
    const wrapper = await mountAs('viewer');
    // The current shift by default (T0 is 08:00 UTC: the Early shift, 06:00–14:00), up to now.
    const query = calls.to('GET /lines/assembly-1/stops')[0]!.query;
    expect(query.get('from')).toBe(new Date(Date.UTC(2026, 2, 2, 6)).toISOString());
    expect(query.get('to')).toBe(new Date(T0 + 600_000).toISOString());
    expect(wrapper.get('[data-testid="stops-range"]').text()).toContain('Shift Early');

    const [weld, press] = rows(wrapper);
    expect(weld!.attributes('data-station')).toBe('weld');
    expect(weld!.attributes('data-ongoing')).toBe('true');
    expect(weld!.get('[data-testid="stop-reason"]').text()).toBe('Mechanical › Jam');
    expect(weld!.get('[data-testid="stop-source"]').text()).toBe('Station');
    expect(weld!.get('[data-testid="stop-duration"]').text()).toContain('5m 00s');
    expect(press!.get('[data-testid="stop-reason"]').text()).toContain('Unclassified');
    expect(press!.text()).toContain('E-42');
    expect(press!.get('[data-testid="stop-duration"]').text()).toBe('2m 00s');
    // No person gave these reasons.
    expect(wrapper.find('[data-testid="stop-classified"]').exists()).toBe(false);

    // An ongoing stop's duration ticks.
    await vi.advanceTimersByTimeAsync(3000);
    expect(weld!.get('[data-testid="stop-duration"]').text()).toContain('5m 03s');
    wrapper.unmount();
  });

  it.each<[Role, boolean]>([
    ['viewer', false],
    ['coordinator', true],
    ['planner', true],
    ['admin', true],
  ])('%s: actions shown = %s', async (role, shown) => {
    api();
    const wrapper = await mountAs(role);
    expect(rows(wrapper)).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="stop-classify"]')).toHaveLength(shown ? 2 : 0);
    expect(wrapper.findAll('[data-testid="stop-split"]')).toHaveLength(shown ? 2 : 0);
    wrapper.unmount();
  });

  it("takes the page's range when it has one", async () => {
    const calls = api();
    const range = { from: T0 - 3_600_000, to: T0 + 3_600_000 };
    const wrapper = await mountAs('viewer', { range });
    const query = calls.to('GET /lines/assembly-1/stops')[0]!.query;
    expect(query.get('from')).toBe(new Date(range.from).toISOString());
    // A range reaching into the future is asked up to now.
    expect(query.get('to')).toBe(new Date(T0 + 600_000).toISOString());
    wrapper.unmount();
  });

  it('filters to the unclassified stops', async () => {
    api();
    const wrapper = await mountAs('viewer');
    await wrapper.get('[data-testid="stops-unclassified-only"]').setValue(true);
    expect(rows(wrapper).map((r) => r.attributes('data-station'))).toEqual(['press']);
    wrapper.unmount();
  });

  it('a coordinator classifies a stop with the picker; the list reloads and the page hears of it', async () => {
    const calls = api();
    const wrapper = await mountAs('coordinator', {});
    const press = () => wrapper.get(`[data-stop-id="${pressStop().id}"]`);
    await press().get('[data-testid="stop-classify"]').trigger('click');
    expect(wrapper.find('[data-testid="classify-dialog"]').exists()).toBe(true);
    await wrapper.get('[data-testid="reason-option-motor-fault"]').trigger('click');
    await flushPromises();

    expect(calls.to(`PUT /stops/${pressStop().id}/reason`).map((c) => c.body)).toEqual([{ reasonKey: 'motor-fault' }]);
    expect(wrapper.find('[data-testid="classify-dialog"]').exists()).toBe(false);
    expect(press().get('[data-testid="stop-reason"]').text()).toBe('Mechanical › Motor fault');
    expect(press().get('[data-testid="stop-source"]').text()).toBe('Coordinator');
    // Classified "now": 08:10 UTC, the plant's zone here.
    expect(press().get('[data-testid="stop-classified"]').text()).toBe('by coordinator-1 at 08:10');
    expect(wrapper.get('[data-testid="stops-notice"]').text()).toContain('Motor fault');
    expect(wrapper.emitted('changed')).toHaveLength(1);
    wrapper.unmount();
  });

  it("shows the server's error code as text and keeps the dialog open", async () => {
    api({
      [`PUT /stops/${pressStop().id}/reason`]: errorResponse(422, 'REASON_UNKNOWN', 'no reason "jam"'),
    });
    const wrapper = await mountAs('coordinator');
    await wrapper.get(`[data-stop-id="${pressStop().id}"] [data-testid="stop-classify"]`).trigger('click');
    await wrapper.get('[data-testid="reason-option-jam"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="classify-error"]').text()).toBe(
      'That reason is no longer in the catalogue; the catalogue has been reloaded.',
    );
    expect(wrapper.emitted('changed')).toBeUndefined();
    wrapper.unmount();
  });

  it('splits a stop; a refusal by the server is shown through its code', async () => {
    let refuse = true;
    const calls = api({
      [`POST /stops/${pressStop().id}/split`]: () =>
        refuse
          ? errorResponse(422, 'SPLIT_OUTSIDE_STOP', 'at must be strictly between')
          : jsonResponse(200, [
              { ...pressStop(), end: new Date(T0 + 120_000).toISOString(), reason: 'jam', reasonSource: 'coordinator' },
              stop('press', 120, 180, { reason: 'no-material', reasonSource: 'coordinator' }),
            ]),
    });
    const wrapper = await mountAs('coordinator');
    await wrapper.get(`[data-stop-id="${pressStop().id}"] [data-testid="stop-split"]`).trigger('click');
    await wrapper.get('[data-testid="split-second"] [data-testid="reason-option-no-material"]').trigger('click');
    await wrapper.get('[data-testid="split-first"] [data-testid="reason-option-jam"]').trigger('click');
    await wrapper.get('[data-testid="split-form"]').trigger('submit');
    await flushPromises();
    expect(calls.to(`POST /stops/${pressStop().id}/split`).map((c) => c.body)).toEqual([
      { at: new Date(T0 + 120_000).toISOString(), firstReasonKey: 'jam', secondReasonKey: 'no-material' },
    ]);
    expect(wrapper.get('[data-testid="split-error"]').text()).toBe(
      'The split time must lie inside the stop: after its start and before its end.',
    );

    refuse = false;
    await wrapper.get('[data-testid="split-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="split-dialog"]').exists()).toBe(false);
    expect(wrapper.emitted('changed')).toHaveLength(1);
    wrapper.unmount();
  });

  it('reloads when a station of the line changes state', async () => {
    const calls = api();
    const wrapper = await mountAs('viewer');
    const live = useLiveStore();
    live.applySnapshot(snapshotPayload(10));
    await flushPromises();
    const before = calls.to('GET /lines/assembly-1/stops').length;
    live.applyStateChanged(stateChanged(11, 'press', { state: 'down', since: Date.now() }));
    live.applyStateChanged(stateChanged(12, 'weld', { state: 'down', since: Date.now() }));
    await vi.advanceTimersByTimeAsync(1500);
    expect(calls.to('GET /lines/assembly-1/stops').length).toBe(before + 1);
    wrapper.unmount();
  });
});
