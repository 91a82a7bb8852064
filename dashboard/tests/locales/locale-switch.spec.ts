import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import StationTile from '../../src/components/line/StationTile.vue';
import { setLocale } from '../../src/locales/i18n';
import { station, T0 } from '../support/fixtures';

describe('a language switch re-renders a mounted component', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0 + 4 * 60_000 + 5_000);
  });
  afterEach(() => {
    vi.useRealTimers();
    setLocale('en');
  });

  it('changes labels, the state, the duration units and the digit grouping of a station tile', async () => {
    const wrapper = mount(StationTile, {
      props: { station: station('press', { state: 'changeover', good: 1234, scrap: 5 }), position: 1 },
    });
    const read = () => ({
      state: wrapper.get('[data-testid="station-state-press"]').text(),
      time: wrapper.get('[data-testid="station-time-press"]').text(),
      good: wrapper.get('[data-testid="station-good-press"]').text(),
      tile: wrapper.get('[data-testid="station-tile-press"]').text(),
    });
    expect(read()).toMatchObject({ state: 'Changeover', good: '1,234' });
    expect(read().time).toContain('4m 05s');

    setLocale('de');
    await nextTick();
    expect(read()).toMatchObject({ state: 'Rüsten', good: '1.234' });
    expect(read().time).toContain('4 min 05 s');
    expect(read().tile).toContain('Ausschuss');
    wrapper.unmount();
  });
});
