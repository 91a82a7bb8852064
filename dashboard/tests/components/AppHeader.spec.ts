import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { createMemoryHistory } from 'vue-router';
import type { Role } from '@floorboard/shared';
import AppHeader from '../../src/components/layout/AppHeader.vue';
import { setLocale } from '../../src/locales/i18n';
import { LOCALE_STORAGE_KEY } from '../../src/locales/locale-choice';
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
    ['manager', ['nav-overview', 'nav-audit', 'nav-andon-rules', 'nav-reasons']],
    [
      'admin',
      [
        'nav-overview',
        'nav-audit',
        'nav-andon-rules',
        'nav-reasons',
        'nav-users',
        'nav-display-tokens',
        'nav-ingest-tokens',
      ],
    ],
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

describe('AppHeader language switcher', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
  });
  afterEach(() => setLocale('en'));

  it('switches every text of the header at once, saves the choice and sets <html lang>', async () => {
    const wrapper = mount(AppHeader, {
      props: { user: { username: 'ines', role: 'coordinator' } },
      global: { plugins: [createAppRouter(createMemoryHistory())] },
    });
    const texts = () => [
      wrapper.get('[data-testid="nav-overview"]').text(),
      wrapper.get('[data-testid="current-user"]').text(),
      wrapper.get('[data-testid="logout"]').text(),
    ];
    expect(texts()).toEqual(['Plant overview', 'Signed in as ines (coordinator)', 'Log out']);
    const select = wrapper.get<HTMLSelectElement>('[data-testid="locale-switch"]');
    expect(select.element.value).toBe('en');
    expect(select.findAll('option').map((o) => o.text())).toEqual(['English', 'Deutsch']);

    await select.setValue('de');
    expect(texts()).toEqual(['Werksübersicht', 'Angemeldet als ines (Koordinator)', 'Abmelden']);
    expect(select.attributes('aria-label')).toBe('Sprache');
    expect(document.documentElement.lang).toBe('de');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('de');

    setLocale('en');
    await nextTick();
    expect(texts()[2]).toBe('Log out');
    expect(select.element.value).toBe('en');
    wrapper.unmount();
  });

  it('offers no switcher without a signed-in user', () => {
    const wrapper = mount(AppHeader, {
      props: { user: null },
      global: { plugins: [createAppRouter(createMemoryHistory())] },
    });
    expect(wrapper.find('[data-testid="locale-switch"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
