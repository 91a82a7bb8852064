import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, type Router } from 'vue-router';
import type { LineSummary } from '@floorboard/shared';
import App from '../../src/App.vue';
import { configureApiClient } from '../../src/api/client';
import { createAppRouter } from '../../src/router';
import { useAlertsStore } from '../../src/stores/alerts';
import { useAuthStore } from '../../src/stores/auth';
import { useLiveStore } from '../../src/stores/live';
import { ASSEMBLY_SUMMARY, snapshotPayload, station, T0 } from '../support/fixtures';
import { stubApi } from '../support/http';

const MACHINING: LineSummary = {
  key: 'machining-2',
  name: 'Machining 2',
  site: 'plant-a',
  idealCycleTimeSec: 60,
  stations: [{ key: 'lathe', name: 'Lathe', idealCycleTimeSec: 60, position: 1 }],
};

describe('wall entry and WallView', () => {
  let pinia: Pinia;
  let router: Router;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0 + 60_000);
    localStorage.clear();
    sessionStorage.clear();
    pinia = createPinia();
    setActivePinia(pinia);
    router = createAppRouter(createMemoryHistory());
    const auth = useAuthStore();
    configureApiClient({ getToken: () => auth.token, refresh: () => auth.refresh(), onUnauthorized: auth.endSession });
  });

  afterEach(() => {
    vi.useRealTimers();
    configureApiClient({ getToken: () => null });
  });

  async function open(path: string) {
    const api = stubApi({ 'GET /lines': [ASSEMBLY_SUMMARY, MACHINING] });
    await router.push(path);
    const wrapper = mount(App, { global: { plugins: [pinia, router] } });
    await flushPromises();
    return { wrapper, api };
  }

  function feedSnapshots() {
    const live = useLiveStore();
    live.setStatus('live');
    live.applySnapshot(snapshotPayload(3));
    live.applySnapshot(
      snapshotPayload(5, { line: 'machining-2', name: 'Machining 2', stations: [station('lathe', { state: 'down' })] }),
    );
  }

  it('signs in with the display token (no password) and shows every line’s tiles without chrome in kiosk mode', async () => {
    const { wrapper, api } = await open('/wall?kiosk&token=fbd_wall');
    expect(api.to('GET /lines')[0].token).toBe('fbd_wall');
    expect(api.to('POST /auth/login')).toHaveLength(0);
    feedSnapshots();
    await flushPromises();

    const assembly = wrapper.get('[data-testid="wall-line-assembly-1"]');
    expect(assembly.findAll('[data-testid^="station-tile-"]').map((t) => t.attributes('data-testid'))).toEqual([
      'station-tile-press',
      'station-tile-weld',
      'station-tile-paint',
    ]);
    expect(
      wrapper.get('[data-testid="wall-line-machining-2"] [data-testid="station-tile-lathe"]').attributes('data-state'),
    ).toBe('down');

    expect(wrapper.find('[data-testid="kiosk-shell"]').exists()).toBe(true);
    expect(wrapper.find('header.app-header').exists()).toBe(false);
    expect(wrapper.find('nav').exists()).toBe(false);
    expect(wrapper.find('[data-testid="logout"]').exists()).toBe(false);
    expect(router.currentRoute.value.fullPath).toBe('/wall?kiosk');
    wrapper.unmount();
  });

  it('still shows the connection-lost banner in kiosk mode, and marks the lines stale', async () => {
    const { wrapper } = await open('/wall?kiosk&token=fbd_wall');
    feedSnapshots();
    const live = useLiveStore();
    live.setStatus('lost');
    live.markAllStale();
    await flushPromises();
    const banner = wrapper.get('[data-testid="connection-status"]');
    expect(banner.attributes('data-status')).toBe('lost');
    expect(banner.text()).toBe('Connection lost — reconnecting…');
    expect(wrapper.find('[data-testid="wall-stale-assembly-1"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('keeps the header without ?kiosk', async () => {
    const { wrapper } = await open('/wall?token=fbd_wall');
    expect(wrapper.find('header.app-header').exists()).toBe(true);
    expect(wrapper.get('[data-testid="current-user"]').text()).toContain('viewer');
    expect(wrapper.find('[data-testid="nav-users"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('fills the screen with the revoked state when the server refuses the display token', async () => {
    const { wrapper } = await open('/wall?kiosk&token=fbd_wall');
    feedSnapshots();
    await flushPromises();
    useAuthStore().endSession();
    await flushPromises();

    const revoked = wrapper.get('[data-testid="wall-revoked"]');
    expect(revoked.text()).toContain("This screen's access was revoked");
    expect(revoked.text()).toContain('Ask an admin for a new wall link.');
    expect(wrapper.find('[data-testid="wall-view"]').exists()).toBe(false);
    expect(router.currentRoute.value.name).toBe('wall');
    wrapper.unmount();
  });

  function metricsSnapshot(rev: number) {
    return snapshotPayload(rev, {
      stations: [
        station('press', { state: 'running', since: T0 }),
        station('weld', { state: 'running', since: T0 - 600_000 }),
        station('paint', { state: 'down', since: T0 - 600_000, reason: 'jam' }),
      ],
      period: { kind: 'shift', name: 'Early', start: T0 - 3_600_000, end: T0 + 25_200_000 },
      throughput: { unitsPerHour: 42, targetPerHour: 90, periodUnitsPerHour: 40, good: 1234, scrap: 17 },
      oee: { availability: 0.9, performance: 0.8, quality: 0.99, oee: 0.7128 },
      bottleneck: {
        station: 'weld',
        kind: 'momentary',
        tied: ['weld', 'paint'],
        activeSince: T0 - 600_000,
        period: {
          station: 'press',
          shares: [
            { station: 'press', sole: 0.55, shifting: 0.1 },
            { station: 'weld', sole: 0.2, shifting: 0.1 },
          ],
        },
      },
    });
  }

  it('marks the momentary bottleneck and the tied station, and names the shift leader with its sole share', async () => {
    const { wrapper } = await open('/wall?kiosk&token=fbd_wall');
    const live = useLiveStore();
    live.setStatus('live');
    live.applySnapshot(metricsSnapshot(3));
    await flushPromises();

    const line = wrapper.get('[data-testid="wall-line-assembly-1"]');
    const marks = line
      .findAll('[data-testid^="station-tile-"]')
      .map((tile) => [tile.attributes('data-testid'), tile.attributes('data-bottleneck') ?? null]);
    expect(marks).toEqual([
      ['station-tile-press', null],
      ['station-tile-weld', 'momentary'],
      ['station-tile-paint', 'tied'],
    ]);
    expect(line.get('[data-testid="station-bottleneck-weld"]').text()).toBe('BN');
    expect(line.get('[data-testid="station-tile-weld"]').attributes('aria-label')).toContain('bottleneck now');
    expect(line.get('[data-testid="station-tile-press"]').attributes('data-shift-leader')).toBe('true');
    expect(line.get('[data-testid="wall-shift-bottleneck-assembly-1"]').text()).toBe('★ Shift bottleneck: Press 55%');
    expect(line.get('[data-testid="wall-throughput-assembly-1"]').text()).toContain('42');
    expect(line.get('[data-testid="wall-throughput-assembly-1"]').text()).toContain('target 90/h');
    expect(line.get('[data-testid="wall-throughput-assembly-1"]').classes()).toContain('target-below');
    expect(line.get('[data-testid="wall-oee-assembly-1"]').text()).toContain('71%');
    expect(line.get('[data-testid="wall-oee-assembly-1"]').text()).toContain('A 90% P 80% Q 99%');
    expect(line.get('[data-testid="wall-good-assembly-1"]').text()).toBe('1,234');
    expect(line.get('[data-testid="wall-scrap-assembly-1"]').text()).toBe('Scrap 17');
    expect(line.get('[data-testid="station-time-weld"]').text()).toBe('11m 00s');

    // The next metrics move the marker.
    const next = metricsSnapshot(4).snapshot;
    live.applyMetricsUpdated({
      line: 'assembly-1',
      ts: T0 + 61_000,
      rev: 4,
      metrics: {
        period: next.period!,
        throughput: next.throughput!,
        oee: next.oee!,
        bottleneck: { ...next.bottleneck!, station: 'paint', tied: ['paint'] },
      },
    });
    await flushPromises();
    expect(line.get('[data-testid="station-tile-paint"]').attributes('data-bottleneck')).toBe('momentary');
    expect(line.get('[data-testid="station-tile-weld"]').attributes('data-bottleneck')).toBeUndefined();
    wrapper.unmount();
  });

  it('greys every number and says "stale" when the connection drops, until a fresh snapshot arrives', async () => {
    const { wrapper } = await open('/wall?kiosk&token=fbd_wall');
    const live = useLiveStore();
    live.setStatus('live');
    live.applySnapshot(metricsSnapshot(3));
    await flushPromises();
    const line = () => wrapper.get('[data-testid="wall-line-assembly-1"]');
    expect(line().attributes('data-stale')).toBe('false');
    expect(wrapper.get('[data-testid="wall-liveness"]').text()).toContain('Live');
    expect(wrapper.get('[data-testid="wall-age"]').text()).toMatch(/^last data 0s ago/);

    live.setStatus('lost');
    live.markAllStale();
    vi.setSystemTime(T0 + 95_000);
    await flushPromises();
    expect(line().attributes('data-stale')).toBe('true');
    expect(line().get('[data-testid="wall-stale-assembly-1"]').text()).toMatch(/^STALE — data from /);
    expect(line().findAll('.wall-tile.stale')).toHaveLength(3);
    expect(line().get('[data-testid="station-tile-weld"]').attributes('aria-label')).toContain('Not live');
    expect(wrapper.get('[data-testid="wall-liveness"]').attributes('data-status')).toBe('lost');
    expect(wrapper.get('[data-testid="wall-liveness"]').text()).toContain('NOT LIVE');

    // Reconnected, but the line stays stale until its own fresh snapshot.
    live.setStatus('live');
    await flushPromises();
    expect(line().attributes('data-stale')).toBe('true');
    live.applySnapshot(metricsSnapshot(1));
    await flushPromises();
    expect(line().attributes('data-stale')).toBe('false');
    expect(line().findAll('.wall-tile.stale')).toHaveLength(0);
    wrapper.unmount();
  });

  it('shows only ?lines, in that order, and names a line that does not exist', async () => {
    const { wrapper } = await open('/wall?kiosk&token=fbd_wall&lines=machining-2,nope,assembly-1');
    const rows = wrapper.findAll('[data-testid^="wall-line-"]').map((row) => row.attributes('data-testid'));
    expect(rows).toEqual(['wall-line-machining-2', 'wall-line-assembly-1']);
    expect(wrapper.get('[data-testid="wall-unknown-lines"]').text()).toBe('No such line: nope');
    wrapper.unmount();
  });

  it('pages with ?rows and rotates every ?rotate seconds, with a page indicator', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(T0 + 60_000);
    const { wrapper } = await open('/wall?kiosk&token=fbd_wall&rows=1&rotate=10');
    const rows = () => wrapper.findAll('[data-testid^="wall-line-"]').map((row) => row.attributes('data-testid'));
    const indicator = () => wrapper.get('[data-testid="wall-page"]');
    expect(rows()).toEqual(['wall-line-assembly-1']);
    expect(indicator().attributes()).toMatchObject({ 'data-page': '1', 'data-pages': '2' });
    expect(indicator().text()).toBe('Page 1/2');

    await vi.advanceTimersByTimeAsync(9_000);
    expect(rows()).toEqual(['wall-line-assembly-1']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(rows()).toEqual(['wall-line-machining-2']);
    expect(indicator().attributes('data-page')).toBe('2');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(rows()).toEqual(['wall-line-assembly-1']);
    wrapper.unmount();
  });

  it('shows no page indicator when every line fits, and says so when ?rotate is invalid', async () => {
    const { wrapper } = await open('/wall?kiosk&token=fbd_wall&rotate=1');
    expect(wrapper.findAll('[data-testid^="wall-line-"]')).toHaveLength(2);
    expect(wrapper.find('[data-testid="wall-page"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="wall-bad-option"]').text()).toContain('now 20 s');
    wrapper.unmount();
  });

  it('shows the open andon alerts of each line', async () => {
    const { wrapper } = await open('/wall?kiosk&token=fbd_wall');
    const alerts = useAlertsStore();
    alerts.applyAlert({
      id: 'a1',
      rule: 'station-down',
      lines: ['assembly-1'],
      station: 'paint',
      gatewayId: null,
      message: 'Paint down for 5 min',
      since: new Date(T0).toISOString(),
      raisedAt: new Date(T0 + 300_000).toISOString(),
      clearedAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      fromStation: null,
      percentOfTarget: null,
    });
    await flushPromises();
    const badge = wrapper.get('[data-testid="wall-alerts-assembly-1"]');
    expect(badge.attributes('data-count')).toBe('1');
    expect(badge.text()).toContain('Alerts: 1');
    expect(wrapper.find('[data-testid="wall-alerts-machining-2"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
