import { describe, expect, it } from 'vitest';
import { de } from '../../src/locales/de';
import { en } from '../../src/locales/en';
import { i18n, LOCALES, type MessageKey } from '../../src/locales/i18n';

/** Every leaf text as `[dotted key, text]`. */
function leaves(node: object, prefix = ''): [string, string][] {
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : leaves(value as object, `${prefix}${key}.`),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/**
 * Words German uses as they are: the product name, OEE, and loanwords of the shop floor and of IT (Rebirth is a
 * Sparkplug term); unit symbols. A text may read the same in German only if, placeholders aside, it is made of
 * these words, numbers and punctuation alone.
 */
const SAME_IN_GERMAN = new Set(
  ['Floorboard', 'OEE', 'Station', 'Gateway', 'Gateways', 'Status', 'Name', 'Token', 'Live', 'Online', 'Offline']
    .concat(['Rebirths', 'min', 's'])
    .map((word) => word.toLowerCase()),
);

function readsTheSameInGerman(text: string): boolean {
  const words = text.replace(/\{\w+\}/g, ' ').match(/\p{L}+/gu) ?? [];
  return words.every((word) => SAME_IN_GERMAN.has(word.toLowerCase()));
}

const enTexts = new Map(leaves(en));
const deTexts = new Map(leaves(de));

describe('German messages', () => {
  it('has exactly the English keys', () => {
    expect([...deTexts.keys()].sort()).toEqual([...enTexts.keys()].sort());
  });

  it('translates every text except a short list of words German uses as they are', () => {
    const untranslated = [...enTexts].filter(([key, text]) => deTexts.get(key) === text && !readsTheSameInGerman(text));
    expect(untranslated).toEqual([]);
  });

  it('keeps every placeholder of the English text, and adds none', () => {
    const mismatched = [...enTexts]
      .filter(([key, text]) => placeholders(text).join() !== placeholders(deTexts.get(key) ?? '').join())
      .map(([key, text]) => [key, text, deTexts.get(key)]);
    expect(mismatched).toEqual([]);
  });
});

describe('every text through vue-i18n', () => {
  // A literal @, |, { or } would be read as a linked message, a plural or a placeholder and silently change
  // the text; each text must come out as written, with its placeholders filled.
  for (const locale of LOCALES) {
    it(`renders each ${locale} text as written`, () => {
      const texts = locale === 'en' ? enTexts : deTexts;
      const wrong = [...texts].flatMap(([key, text]) => {
        const params = Object.fromEntries(placeholders(text).map((name) => [name!, `<${name}>`]));
        const expected = text.replace(/\{(\w+)\}/g, '<$1>');
        const rendered = i18n.global.t(key as MessageKey, params, { locale });
        return rendered === expected ? [] : [{ key, expected, rendered }];
      });
      expect(wrong).toEqual([]);
    });
  }
});
