import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ConnectionStatus from '../../src/components/layout/ConnectionStatus.vue';

describe('ConnectionStatus', () => {
  it.each([
    ['lost', 'Connection lost — reconnecting…'],
    ['connecting', 'Connecting to live data…'],
    ['live', 'Live data connected'],
  ] as const)('shows %s', (status, text) => {
    const wrapper = mount(ConnectionStatus, { props: { status } });
    const banner = wrapper.get('[data-testid="connection-status"]');
    expect(banner.attributes('data-status')).toBe(status);
    expect(banner.text()).toBe(text);
    expect(banner.classes()).toContain(status);
  });
});
