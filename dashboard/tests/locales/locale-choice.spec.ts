import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentLocale, setLocale, t } from '../../src/locales/i18n';
import { applyInitialLocale, chooseLocale, LOCALE_STORAGE_KEY, pickLocale } from '../../src/locales/locale-choice';

describe('pickLocale', () => {
  it.each([
    [{ query: 'de', saved: 'en', preferred: ['en-US'] }, 'de'],
    [{ query: null, saved: 'de', preferred: ['en-US'] }, 'de'],
    [{ query: 'fr', saved: 'en', preferred: ['de-DE'] }, 'en'],
    [{ query: null, saved: null, preferred: ['fr-FR', 'de-AT', 'en'] }, 'de'],
    [{ query: null, saved: 'xx', preferred: ['EN-gb'] }, 'en'],
    [{ query: null, saved: null, preferred: ['fr', 'pl'] }, 'en'],
    [{ query: null, saved: null, preferred: [] }, 'en'],
  ] as const)('%j → %s', (sources, expected) => {
    expect(pickLocale(sources)).toBe(expected);
  });
});

describe('applyInitialLocale', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => setLocale('en'));

  it('takes ?lang=de from a wall link, saves it and sets <html lang>', () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['en-US']);
    expect(applyInitialLocale({ search: '?kiosk&lang=de' })).toBe('de');
    expect(currentLocale()).toBe('de');
    expect(document.documentElement.lang).toBe('de');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('de');
    expect(t('states.down')).toBe('Störung');
  });

  it('follows a saved choice over the browser, and the browser when nothing was chosen', () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['de-DE', 'en']);
    expect(applyInitialLocale({ search: '' })).toBe('de');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBeNull();
    chooseLocale('en');
    expect(applyInitialLocale({ search: '?lang=klingon' })).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });
});
