import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, type Router } from 'vue-router';
import type { LineSummary } from '@floorboard/shared';
import App from '../../src/App.vue';
import { configureApiClient } from '../../src/api/client';
import { createAppRouter } from '../../src/router';
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
});
