import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import StopSplitForm from '../../src/components/stops/StopSplitForm.vue';
import { T0 } from '../support/fixtures';
import { REASONS, stop } from '../support/stops-fixtures';

describe('StopSplitForm', () => {
  beforeEach(() => setActivePinia(createPinia()));

  // 08:01:00 – 08:03:00; the slider starts in the middle (08:02:00).
  const ended = stop('press', 60, 180, { reason: 'jam', reasonSource: 'station' });
  const NOW = T0 + 600_000;
  const mountForm = (s = ended, serverError: string | null = null) =>
    mount(StopSplitForm, { props: { stop: s, reasons: REASONS, now: NOW, serverError } });
  const slider = (w: ReturnType<typeof mountForm>) => w.get('[data-testid="split-slider"]');
  const pick = (w: ReturnType<typeof mountForm>, part: 'first' | 'second', key: string) =>
    w.get(`[data-testid="split-${part}"] [data-testid="reason-option-${key}"]`).trigger('click');

  it('sends the chosen time and both reasons when the time is inside the stop', async () => {
    const wrapper = mountForm();
    expect(Number((slider(wrapper).element as HTMLInputElement).value)).toBe(T0 + 120_000);
    await wrapper.get('[data-testid="split-plus-10s"]').trigger('click');
    await pick(wrapper, 'second', 'no-material');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.emitted('submit')).toEqual([
      [{ at: T0 + 130_000, firstReasonKey: 'jam', secondReasonKey: 'no-material' }],
    ]);
    expect(wrapper.find('[data-testid="split-error"]').exists()).toBe(false);
  });

  it.each([
    ['at the start', T0 + 60_000],
    ['at the end', T0 + 180_000],
  ])('refuses a split %s and sends nothing', async (_name, value) => {
    const wrapper = mountForm();
    await pick(wrapper, 'second', 'no-material');
    await slider(wrapper).setValue(String(value));
    await wrapper.get('form').trigger('submit');
    expect(wrapper.emitted('submit')).toBeUndefined();
    expect(wrapper.get('[data-testid="split-error"]').text()).toContain('inside the stop');
  });

  it('refuses a time pushed past the end with the buttons', async () => {
    const wrapper = mountForm();
    await pick(wrapper, 'second', 'no-material');
    await wrapper.get('[data-testid="split-plus-minute"]').trigger('click');
    await wrapper.get('[data-testid="split-plus-minute"]').trigger('click');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.emitted('submit')).toBeUndefined();
    expect(wrapper.get('[data-testid="split-error"]').text()).toContain('inside the stop');
  });

  it('asks for the second reason', async () => {
    const wrapper = mountForm();
    await wrapper.get('form').trigger('submit');
    expect(wrapper.emitted('submit')).toBeUndefined();
    expect(wrapper.get('[data-testid="split-error"]').text()).toBe('Choose a reason for both parts.');
    // Changing something clears the complaint.
    await pick(wrapper, 'second', 'jam');
    expect(wrapper.find('[data-testid="split-error"]').exists()).toBe(false);
  });

  it('splits an ongoing stop only before now', async () => {
    const ongoing = stop('weld', 300, null);
    const wrapper = mountForm(ongoing);
    expect(slider(wrapper).attributes('max')).toBe(String(NOW));
    await pick(wrapper, 'first', 'jam');
    await pick(wrapper, 'second', 'minor-stop');
    await slider(wrapper).setValue(String(NOW));
    await wrapper.get('form').trigger('submit');
    expect(wrapper.emitted('submit')).toBeUndefined();
    await slider(wrapper).setValue(String(NOW - 1000));
    await wrapper.get('form').trigger('submit');
    expect(wrapper.emitted('submit')).toEqual([
      [{ at: NOW - 1000, firstReasonKey: 'jam', secondReasonKey: 'minor-stop' }],
    ]);
  });

  it("shows the server's refusal", () => {
    const wrapper = mountForm(ended, 'The split time must lie inside the stop.');
    expect(wrapper.get('[data-testid="split-error"]').text()).toBe('The split time must lie inside the stop.');
  });
});
