import { DEFAULT_LOCALE, isLocale, setLocale, type Locale } from './i18n';

/** Where a person's (or a wall screen's) language choice is kept across reloads. */
export const LOCALE_STORAGE_KEY = 'floorboard.locale';

export interface LocaleSources {
  /** The `?lang=` of the address (a wall TV link such as `/wall?kiosk&lang=de`). */
  query: string | null;
  /** The choice saved by the language switcher or an earlier `?lang=`. */
  saved: string | null;
  /** The browser's preferred languages, best first (`navigator.languages`). */
  preferred: readonly string[];
}

/** The first supported language among the sources, in that order; `de-AT` counts as `de`. English otherwise. */
export function pickLocale({ query, saved, preferred }: LocaleSources): Locale {
  if (isLocale(query)) return query;
  if (isLocale(saved)) return saved;
  for (const tag of preferred) {
    const language = tag.toLowerCase().split('-')[0];
    if (isLocale(language)) return language;
  }
  return DEFAULT_LOCALE;
}

function readSaved(): string | null {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    return null; // storage disabled: the browser's languages decide
  }
}

/** Switches the language and remembers it for the next visit. */
export function chooseLocale(locale: Locale): void {
  setLocale(locale);
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // storage disabled: the choice lasts until the page is reloaded
  }
}

/**
 * Sets the language at startup from the address, the saved choice and the browser. A `?lang=` is saved
 * like a choice in the switcher, so a wall screen stays German after the router tidies its address.
 */
export function applyInitialLocale(location: Pick<Location, 'search'> = window.location): Locale {
  const query = new URLSearchParams(location.search).get('lang');
  const locale = pickLocale({ query, saved: readSaved(), preferred: navigator.languages ?? [navigator.language] });
  if (isLocale(query)) chooseLocale(locale);
  else setLocale(locale);
  return locale;
}
