import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stop } from '@floorboard/shared';
import StopList from '../../src/components/stops/StopList.vue';
import { setLocale } from '../../src/locales/i18n';
import { usePlantCalendarStore } from '../../src/stores/plant-calendar';
import { T0 } from '../support/fixtures';
import { REASONS, stop } from '../support/stops-fixtures';

describe('StopList: who gave a reason, and when', () => {
  let pinia: Pinia;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    // T0 is 08:00 UTC, 09:00 in Berlin.
    usePlantCalendarStore().calendar = { timezone: 'Europe/Berlin', productionDayStart: '06:00', shifts: [] };
  });
  afterEach(() => setLocale('en'));

  const classifiedBy = (name: string, at: number): Partial<Stop> => ({
    reason: 'no-material',
    reasonSource: 'coordinator',
    classifiedBy: name,
    classifiedAt: new Date(at).toISOString(),
  });

  function mountList(stops: Stop[]) {
    return mount(StopList, {
      props: { stops, reasons: REASONS, stationNames: {}, canEdit: false },
      global: { plugins: [pinia] },
    });
  }
  const byStation = (wrapper: ReturnType<typeof mountList>, station: string) =>
    wrapper.get(`[data-testid="stop-row"][data-station="${station}"]`);

  it('names the coordinator and the plant time next to the reason; a station’s reason names nobody', async () => {
    const wrapper = mountList([
      stop('press', 60, 180, classifiedBy('anna', T0 + 3_600_000 + 42 * 60_000)),
      stop('weld', 300, null, { reason: 'jam', reasonSource: 'station', stationReason: 'jam' }),
      stop('paint', 400, 500),
    ]);
    const press = byStation(wrapper, 'press');
    expect(press.get('[data-testid="stop-reason"]').text()).toBe('Material › No material');
    expect(press.get('[data-testid="stop-classified"]').text()).toBe('by anna at 10:42');
    expect(byStation(wrapper, 'weld').find('[data-testid="stop-classified"]').exists()).toBe(false);
    expect(byStation(wrapper, 'paint').find('[data-testid="stop-classified"]').exists()).toBe(false);

    setLocale('de');
    await wrapper.vm.$nextTick();
    expect(byStation(wrapper, 'press').get('[data-testid="stop-classified"]').text()).toBe('von anna um 10:42');
    wrapper.unmount();
  });

  it('adds the plant date when the reason was given on another day than the stop began', async () => {
    // 23:30 UTC is already the next day in Berlin.
    const nextDay = Date.UTC(2026, 2, 2, 23, 30);
    const wrapper = mountList([stop('press', 60, 180, classifiedBy('ben', nextDay))]);
    expect(wrapper.get('[data-testid="stop-classified"]').text()).toBe('by ben on Mar 3, 2026, 00:30');
    setLocale('de');
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-testid="stop-classified"]').text()).toBe('von ben am 3. März 2026, 00:30');
    wrapper.unmount();
  });

  it('names the zone when the reason was given in the hour that repeats when the clocks go back', () => {
    const autumn = Date.UTC(2026, 9, 25, 0, 42);
    const repeated = stop('press', 0, 60, {
      start: new Date(autumn - 600_000).toISOString(),
      ...classifiedBy('anna', autumn),
    });
    const wrapper = mountList([repeated]);
    expect(wrapper.get('[data-testid="stop-classified"]').text()).toBe('by anna at 02:42 GMT+2');
    expect(wrapper.get('[data-testid="stop-start"]').text()).toBe('02:32:00 GMT+2');
    wrapper.unmount();
  });
});
