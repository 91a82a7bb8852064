import { inject, watch, type InjectionKey, type MaybeRefOrGetter, toValue } from 'vue';
import type { LiveConnection } from './live-connection';

export const LIVE_CONNECTION_KEY: InjectionKey<LiveConnection> = Symbol('LiveConnection');

/**
 * Keeps the given lines subscribed for as long as the calling component lives (and follows changes to the
 * list). Without a provided connection (unit tests) it does nothing; the live store is then driven directly.
 */
export function useLiveLines(lines: MaybeRefOrGetter<readonly string[]>): void {
  const connection = inject(LIVE_CONNECTION_KEY, null);
  if (!connection) return;
  watch(
    () => [...new Set(toValue(lines))].sort().join('\n'),
    (_key, _previous, onCleanup) => onCleanup(connection.retain(toValue(lines))),
    { immediate: true },
  );
}
