import { en, type Messages } from './en';

/** Dotted paths to every leaf text of the message map, e.g. `'states.running'`. */
type LeafKeys<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : LeafKeys<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = LeafKeys<Messages>;
export type MessageParams = Record<string, string | number>;

/** BCP 47 tag of the active message map; number and time formatting follow it. */
export const locale = 'en';

const messages: Messages = en;

function lookup(key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** True when `key` names a text in the message map (for keys built at runtime, like error codes). */
export function hasMessage(key: string): key is MessageKey {
  return lookup(key) !== undefined;
}

/** Looks up a text and fills its `{placeholders}`. An unknown key comes back as itself, so it shows up. */
export function t(key: MessageKey, params?: MessageParams): string {
  const text = lookup(key) ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in params ? String(params[name]) : placeholder,
  );
}
