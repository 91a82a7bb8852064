import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ReasonPicker from '../../src/components/stops/ReasonPicker.vue';
import { REASONS } from '../support/stops-fixtures';

describe('ReasonPicker', () => {
  const mountPicker = (selected: string | null = null) =>
    mount(ReasonPicker, { props: { reasons: REASONS, selected } });

  it('shows each family with its reasons beneath it, in catalogue order', () => {
    const wrapper = mountPicker();
    const families = wrapper.findAll('[data-testid^="reason-family-"]');
    expect(families.map((f) => f.attributes('data-testid'))).toEqual([
      'reason-family-mechanical',
      'reason-family-material',
      'reason-family-minor-stop',
      'reason-family-changeover',
    ]);
    const options = (family: string) =>
      wrapper
        .get(`[data-testid="reason-family-${family}"]`)
        .findAll('button')
        .map((b) => b.attributes('data-testid'));
    expect(options('mechanical')).toEqual([
      'reason-option-mechanical',
      'reason-option-jam',
      'reason-option-motor-fault',
    ]);
    expect(options('minor-stop')).toEqual(['reason-option-minor-stop']);
    expect(wrapper.get('[data-testid="reason-option-changeover"]').text()).toContain('planned');
    expect(wrapper.get('[data-testid="reason-option-jam"]').text()).toBe('Jam');
  });

  it('emits the key of the tapped reason, a family too', async () => {
    const wrapper = mountPicker();
    await wrapper.get('[data-testid="reason-option-no-material"]').trigger('click');
    await wrapper.get('[data-testid="reason-option-minor-stop"]').trigger('click');
    expect(wrapper.emitted('pick')).toEqual([['no-material'], ['minor-stop']]);
  });

  it('marks the selected reason and nothing else', () => {
    const wrapper = mountPicker('motor-fault');
    const pressed = wrapper.findAll('button[aria-pressed="true"]').map((b) => b.attributes('data-testid'));
    expect(pressed).toEqual(['reason-option-motor-fault']);
  });

  it('does not pick while disabled', async () => {
    const wrapper = mount(ReasonPicker, { props: { reasons: REASONS, disabled: true } });
    await wrapper.get('[data-testid="reason-option-jam"]').trigger('click');
    expect(wrapper.emitted('pick')).toBeUndefined();
  });
});
