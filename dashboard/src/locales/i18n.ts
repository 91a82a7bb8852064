import { createI18n } from 'vue-i18n';
import { de } from './de';
import { en, type Messages } from './en';

/** Dotted paths to every leaf text of the message map, e.g. `'states.running'`. */
type LeafKeys<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : LeafKeys<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = LeafKeys<Messages>;
export type MessageParams = Record<string, string | number>;

/** The dashboard's languages (BCP 47); English is the source every other map is typed against. */
export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language named in itself, as a language switcher lists them. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The one vue-i18n instance (Composition API mode). Its messages are compiled just in time into functions
 * built from the message AST, never with `new Function`, so it runs under the server's CSP without
 * 'unsafe-eval'. A key missing in German falls back to English (the types make that a compile error anyway).
 */
export const i18n = createI18n({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages: { en, de } satisfies Record<Locale, Messages>,
  missingWarn: false,
  fallbackWarn: false,
});

/** The active language; reading it inside a render or computed makes that re-run on a switch. */
export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale;
}

/** Switches every text and number/date format; `<html lang>` follows for screen readers and hyphenation. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** True when `key` names a text in the message map (for keys built at runtime, like error codes). */
export function hasMessage(key: string): key is MessageKey {
  return i18n.global.te(key, DEFAULT_LOCALE);
}

/**
 * Looks up a text in the active language and fills its `{placeholders}`. An unknown key comes back as
 * itself, so it shows up. Called from a template or computed, the caller re-renders on a language switch.
 */
export function t(key: MessageKey, params?: MessageParams): string {
  return i18n.global.t(key, params ?? {});
}
