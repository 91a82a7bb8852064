import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import type { Role } from '@floorboard/shared';
import AppHeader from '../../src/components/layout/AppHeader.vue';
import { createAppRouter } from '../../src/router';

describe('AppHeader navigation', () => {
  beforeEach(() => setActivePinia(createPinia()));

  const links = (role: Role) => {
    const router = createAppRouter(createMemoryHistory());
    const wrapper = mount(AppHeader, {
      props: { user: { username: 'someone', role } },
      global: { plugins: [router] },
    });
    const ids = wrapper.findAll('nav a').map((a) => a.attributes('data-testid'));
    wrapper.unmount();
    return ids;
  };

  it.each([
    ['viewer', ['nav-overview']],
    ['coordinator', ['nav-overview']],
    ['planner', ['nav-overview']],
    ['manager', ['nav-overview', 'nav-audit']],
    ['admin', ['nav-overview', 'nav-audit', 'nav-users', 'nav-display-tokens', 'nav-ingest-tokens']],
  ] as const)('%s sees %j', (role, expected) => {
    expect(links(role).filter((id) => id !== 'nav-gateways')).toEqual(expected);
  });

  it.each(['viewer', 'coordinator', 'planner', 'manager', 'admin'] as const)(
    'shows the gateways link only to an admin (%s)',
    (role) => {
      expect(links(role).includes('nav-gateways')).toBe(role === 'admin');
    },
  );
});
