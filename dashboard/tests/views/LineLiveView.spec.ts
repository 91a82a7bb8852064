import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { routes } from '../../src/router';
import { useLinesStore } from '../../src/stores/lines';
import { useLiveStore } from '../../src/stores/live';
import LineLiveView from '../../src/views/line/LineLiveView.vue';
import { ASSEMBLY_SUMMARY, countsUpdated, snapshotPayload, station, stateChanged, T0 } from '../support/fixtures';
import { jsonResponse } from '../support/http';

describe('LineLiveView', () => {
  let pinia: Pinia;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0 + 60_000);
    pinia = createPinia();
    setActivePinia(pinia);
    useLinesStore().summaries = [ASSEMBLY_SUMMARY];
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  function mountView(lineKey = 'assembly-1') {
    const router = createRouter({ history: createMemoryHistory(), routes });
    return mount(LineLiveView, { props: { lineKey }, global: { plugins: [pinia, router] } });
  }

  const tileKeys = (wrapper: ReturnType<typeof mountView>) =>
    wrapper.findAll('[data-testid^="station-tile-"]').map((tile) => tile.attributes('data-testid'));

  it('waits for live data before showing tiles', () => {
    const wrapper = mountView();
    expect(wrapper.text()).toContain('Waiting for live data…');
    expect(wrapper.find('[data-testid="station-grid"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('renders one tile per station in flow order from a snapshot', async () => {
    const wrapper = mountView();
    useLiveStore().applySnapshot(snapshotPayload(10));
    await flushPromises();

    expect(wrapper.get('h1').text()).toBe('Assembly 1');
    expect(tileKeys(wrapper)).toEqual(['station-tile-press', 'station-tile-weld', 'station-tile-paint']);
    expect(wrapper.get('[data-testid="station-state-weld"]').text()).toBe('Starved');
    expect(wrapper.get('[data-testid="station-time-press"]').text()).toContain('1m 00s');
    wrapper.unmount();
  });

  it('orders by the configured flow even when the snapshot lists stations differently', async () => {
    const wrapper = mountView();
    useLiveStore().applySnapshot(
      snapshotPayload(3, { stations: [station('paint'), station('press'), station('weld')] }),
    );
    await flushPromises();
    expect(tileKeys(wrapper)).toEqual(['station-tile-press', 'station-tile-weld', 'station-tile-paint']);
    wrapper.unmount();
  });

  it('updates a tile on a state delta and on a counts delta', async () => {
    const wrapper = mountView();
    const live = useLiveStore();
    live.applySnapshot(snapshotPayload(10));
    await flushPromises();

    live.applyStateChanged(stateChanged(11, 'press', { state: 'down', reason: 'Jam', since: Date.now() - 5000 }));
    live.applyCountsUpdated(countsUpdated(12, 'weld', 17, 2));
    await flushPromises();

    const press = wrapper.get('[data-testid="station-tile-press"]');
    expect(press.attributes('data-state')).toBe('down');
    expect(press.classes()).toContain('state-down');
    expect(wrapper.get('[data-testid="station-state-press"]').text()).toBe('Down');
    expect(wrapper.get('[data-testid="station-reason-press"]').text()).toContain('Jam');
    expect(wrapper.get('[data-testid="station-time-press"]').text()).toContain('5s');
    expect(wrapper.get('[data-testid="station-good-weld"]').text()).toBe('17');
    expect(wrapper.get('[data-testid="station-scrap-weld"]').text()).toBe('2');
    wrapper.unmount();
  });

  it('does not show a delta after a rev gap and marks the line stale until the next snapshot', async () => {
    const wrapper = mountView();
    const live = useLiveStore();
    live.applySnapshot(snapshotPayload(10));
    live.applyStateChanged(stateChanged(12, 'press', { state: 'down' }));
    await flushPromises();

    expect(wrapper.get('[data-testid="station-tile-press"]').attributes('data-state')).toBe('running');
    expect(wrapper.find('[data-testid="line-stale"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="station-tile-press"]').classes()).toContain('stale');

    live.applySnapshot(snapshotPayload(12, { stations: [station('press', { state: 'down' })] }));
    await flushPromises();
    expect(wrapper.find('[data-testid="line-stale"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="station-tile-press"]').attributes('data-state')).toBe('down');
    wrapper.unmount();
  });

  it('shows the data as stale when the connection is lost', async () => {
    const wrapper = mountView();
    const live = useLiveStore();
    live.applySnapshot(snapshotPayload(10));
    live.setStatus('lost');
    live.markAllStale();
    await flushPromises();
    expect(wrapper.get('[data-testid="line-stale"]').text()).toContain('Live updates interrupted');
    expect(wrapper.find('[data-testid="line-updated"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('says so when the line does not exist', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(404, { statusCode: 404, code: 'LINE_NOT_FOUND', message: 'Line nope not found' })),
    );
    const wrapper = mountView('nope');
    await flushPromises();
    expect(wrapper.get('[data-testid="line-error"]').text()).toBe('This line does not exist.');
    wrapper.unmount();
  });
});
