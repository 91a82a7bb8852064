import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STATION_STATES } from '@floorboard/shared';
import StationTile from '../../src/components/line/StationTile.vue';
import { station, T0 } from '../support/fixtures';

describe('StationTile', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0 + 4 * 60_000 + 12_000);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows name, state label, state class, reason and counts', () => {
    const wrapper = mount(StationTile, {
      props: {
        station: station('press', { state: 'down', reason: 'Jam at infeed', good: 1234, scrap: 5 }),
        position: 1,
      },
    });
    const tile = wrapper.get('[data-testid="station-tile-press"]');
    expect(tile.attributes('data-state')).toBe('down');
    expect(tile.classes()).toContain('state-down');
    expect(tile.find('h3').text()).toBe('Press');
    expect(wrapper.get('[data-testid="station-state-press"]').text()).toBe('Down');
    expect(wrapper.get('[data-testid="station-reason-press"]').text()).toContain('Jam at infeed');
    expect(wrapper.get('[data-testid="station-good-press"]').text()).toBe('1,234');
    expect(wrapper.get('[data-testid="station-scrap-press"]').text()).toBe('5');
    wrapper.unmount();
  });

  it('ticks the time in state every second', async () => {
    const wrapper = mount(StationTile, { props: { station: station('weld'), position: 2 } });
    const time = () => wrapper.get('[data-testid="station-time-weld"]').text();
    expect(time()).toContain('4m 12s');

    await vi.advanceTimersByTimeAsync(1000);
    expect(time()).toContain('4m 13s');

    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(time()).toContain('1h 04m');
    wrapper.unmount();
  });

  it('restarts the time when the station changes state', async () => {
    const wrapper = mount(StationTile, { props: { station: station('weld'), position: 2 } });
    await wrapper.setProps({ station: station('weld', { state: 'blocked', since: Date.now() - 3000 }) });
    expect(wrapper.get('[data-testid="station-time-weld"]').text()).toContain('3s');
    expect(wrapper.get('[data-testid="station-state-weld"]').text()).toBe('Blocked');
    wrapper.unmount();
  });

  it('omits the reason when there is none and marks stale data', () => {
    const wrapper = mount(StationTile, { props: { station: station('paint'), position: 3, stale: true } });
    expect(wrapper.find('[data-testid="station-reason-paint"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="station-tile-paint"]').classes()).toContain('stale');
    expect(wrapper.get('[data-testid="station-tile-paint"]').attributes('aria-label')).toBe(
      'Paint: Running (Not live)',
    );
    wrapper.unmount();
  });

  it('gives every state its own label and icon', () => {
    const icons = new Set<string>();
    for (const state of STATION_STATES) {
      const wrapper = mount(StationTile, { props: { station: station('press', { state }), position: 1 } });
      const label = wrapper.get('[data-testid="station-state-press"]');
      expect(label.text()).not.toBe('');
      expect(label.text()).not.toContain('states.');
      icons.add(label.get('path').attributes('d') ?? '');
      wrapper.unmount();
    }
    expect(icons.size).toBe(STATION_STATES.length);
  });
});
