import { defineStore } from 'pinia';
import { markRaw, ref } from 'vue';
import type {
  LineEnvelope,
  LineMetricsUpdatedPayload,
  LineSnapshotPayload,
  StationCountsUpdatedPayload,
  StationStateChangedPayload,
} from '@floorboard/shared';
import {
  reduceCountsUpdated,
  reduceMetricsUpdated,
  reduceRevOnly,
  reduceSnapshot,
  reduceStateChanged,
  type ApplyResult,
  type LiveLineEntry,
  type Reduction,
} from './live-rules';

/**
 * `idle`: not started (signed out); `connecting`: first connection attempt; `live`: connected;
 * `lost`: the connection dropped or cannot be made, socket.io keeps retrying.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'live' | 'lost';

/** Live line state as received over the socket. Only `realtime/` writes here; components read. */
export const useLiveStore = defineStore('live', () => {
  const lines = ref<Record<string, LiveLineEntry>>({});
  const status = ref<ConnectionStatus>('idle');
  /** Error code per line whose subscription the server refused (e.g. `LINE_NOT_FOUND`). */
  const subscribeErrors = ref<Record<string, string>>({});

  /**
   * Entries are never changed in place (every change is a new entry that shares what did not change), so they are
   * stored raw: which line changed is tracked, but reading a station does not go through a reactive proxy. A wall
   * reads 144 stations on every change of any of them.
   */
  function store(line: string, entry: LiveLineEntry): void {
    lines.value[line] = markRaw(entry);
  }

  function commit(line: string, reduction: Reduction): ApplyResult {
    if (reduction.entry && reduction.entry !== lines.value[line]) store(line, reduction.entry);
    return reduction.result;
  }

  function applySnapshot(payload: LineSnapshotPayload, receivedAt = Date.now()): ApplyResult {
    const result = commit(payload.line, reduceSnapshot(lines.value[payload.line], payload, receivedAt));
    if (result === 'applied') delete subscribeErrors.value[payload.line];
    return result;
  }

  function applyStateChanged(payload: StationStateChangedPayload, receivedAt = Date.now()): ApplyResult {
    return commit(payload.line, reduceStateChanged(lines.value[payload.line], payload, receivedAt));
  }

  function applyCountsUpdated(payload: StationCountsUpdatedPayload, receivedAt = Date.now()): ApplyResult {
    return commit(payload.line, reduceCountsUpdated(lines.value[payload.line], payload, receivedAt));
  }

  function applyMetricsUpdated(payload: LineMetricsUpdatedPayload, receivedAt = Date.now()): ApplyResult {
    return commit(payload.line, reduceMetricsUpdated(lines.value[payload.line], payload, receivedAt));
  }

  /** An `alert:*` event: its data goes to the alerts store, its rev counts here. */
  function applyRevOnly(payload: LineEnvelope, receivedAt = Date.now()): ApplyResult {
    return commit(payload.line, reduceRevOnly(lines.value[payload.line], payload, receivedAt));
  }

  function setStatus(next: ConnectionStatus): void {
    status.value = next;
  }

  /** Everything shown may be out of date until each line's next snapshot. */
  function markAllStale(): void {
    for (const [line, entry] of Object.entries(lines.value)) {
      if (!entry.stale) store(line, { ...entry, stale: true });
    }
  }

  function setSubscribeError(line: string, code: string): void {
    subscribeErrors.value[line] = code;
  }

  function forget(line: string): void {
    delete lines.value[line];
    delete subscribeErrors.value[line];
  }

  function reset(): void {
    lines.value = {};
    subscribeErrors.value = {};
    status.value = 'idle';
  }

  return {
    lines,
    status,
    subscribeErrors,
    applySnapshot,
    applyStateChanged,
    applyCountsUpdated,
    applyMetricsUpdated,
    applyRevOnly,
    setStatus,
    markAllStale,
    setSubscribeError,
    forget,
    reset,
  };
});

export type LiveStore = ReturnType<typeof useLiveStore>;
