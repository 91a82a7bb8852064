import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlantCalendar } from '@floorboard/shared';
import RangePicker from '../../src/components/layout/RangePicker.vue';
import type { RangeSelection } from '../../src/lib/time-range';
import { usePlantCalendarStore } from '../../src/stores/plant-calendar';

const CALENDAR: PlantCalendar = {
  timezone: 'Europe/Berlin',
  productionDayStart: '06:00',
  shifts: [
    { name: 'Early', start: '06:00', end: '14:00' },
    { name: 'Late', start: '14:00', end: '22:00' },
    { name: 'Night', start: '22:00', end: '06:00' },
  ],
};
/** 2 March 2026, 16:30 in Berlin: the Late shift of production day 2 March is running. */
const NOW = Date.parse('2026-03-02T15:30:00Z');

function mountPicker(modelValue: RangeSelection = { kind: 'current-shift' }) {
  return mount(RangePicker, { props: { modelValue, calendar: CALENDAR, now: NOW } });
}

const emitted = (wrapper: ReturnType<typeof mountPicker>) =>
  (wrapper.emitted('update:modelValue') ?? []).map(([value]) => value as RangeSelection);

describe('RangePicker', () => {
  beforeEach(() => {
    // Times are shown and read in the plant's timezone, whatever the test machine's is.
    setActivePinia(createPinia());
    usePlantCalendarStore().calendar = CALENDAR;
  });

  it('picks a shift: today and the running shift first, then another day and shift', async () => {
    const wrapper = mountPicker();
    await wrapper.get('[data-testid="range-kind"]').setValue('shift');
    expect(emitted(wrapper)).toEqual([{ kind: 'shift', date: '2026-03-02', shift: 'Late' }]);
    const options = wrapper.findAll('[data-testid="range-shift"] option').map((o) => o.text());
    expect(options).toEqual(['Early (06:00–14:00)', 'Late (14:00–22:00)', 'Night (22:00–06:00)']);
    await wrapper.get('[data-testid="range-date"]').setValue('2026-02-27');
    await wrapper.get('[data-testid="range-shift"]').setValue('Night');
    expect(emitted(wrapper).at(-1)).toEqual({ kind: 'shift', date: '2026-02-27', shift: 'Night' });
  });

  it('picks a production day and goes back to the current shift', async () => {
    const wrapper = mountPicker();
    await wrapper.get('[data-testid="range-kind"]').setValue('day');
    await wrapper.get('[data-testid="range-date"]').setValue('2026-03-01');
    expect(emitted(wrapper).at(-1)).toEqual({ kind: 'day', date: '2026-03-01' });
    expect(wrapper.find('[data-testid="range-shift"]').exists()).toBe(false);
    await wrapper.get('[data-testid="range-kind"]').setValue('current-shift');
    expect(emitted(wrapper).at(-1)).toEqual({ kind: 'current-shift' });
  });

  it('applies a custom range read on the plant wall clock, and refuses an end before the start', async () => {
    const wrapper = mountPicker();
    await wrapper.get('[data-testid="range-kind"]').setValue('custom');
    expect(emitted(wrapper)).toEqual([]);
    await wrapper.get('[data-testid="range-from"]').setValue('2026-03-02T08:00');
    await wrapper.get('[data-testid="range-to"]').setValue('2026-03-02T07:00');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.get('[data-testid="range-error"]').text()).toBe('Give a start before the end.');
    expect(emitted(wrapper)).toEqual([]);
    await wrapper.get('[data-testid="range-to"]').setValue('2026-03-09T08:00');
    await wrapper.get('form').trigger('submit');
    expect(emitted(wrapper)).toEqual([
      { kind: 'custom', from: Date.parse('2026-03-02T07:00:00Z'), to: Date.parse('2026-03-09T07:00:00Z') },
    ]);
    expect(wrapper.find('[data-testid="range-error"]').exists()).toBe(false);
  });

  it('shows the selection it is given, a custom one on the plant wall clock', () => {
    const wrapper = mountPicker({
      kind: 'custom',
      from: Date.parse('2026-03-02T05:00:00Z'),
      to: Date.parse('2026-03-02T13:00:00Z'),
    });
    expect((wrapper.get('[data-testid="range-kind"]').element as HTMLSelectElement).value).toBe('custom');
    expect((wrapper.get('[data-testid="range-from"]').element as HTMLInputElement).value).toBe('2026-03-02T06:00');
    expect((wrapper.get('[data-testid="range-to"]').element as HTMLInputElement).value).toBe('2026-03-02T14:00');
  });
});
