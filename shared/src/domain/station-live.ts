import type { StationEvent } from '../contracts/station-event.js';
import type { StationState } from '../contracts/station-state.js';

export interface StationLiveState {
  state: StationState;
  since: number;
  reason: string | null;
  good: number;
  scrap: number;
  /** Event time of the newest state event applied (not necessarily `since`: a repeat of the same state keeps `since`). */
  lastStateTs: number;
}

export const UNKNOWN_STATION_STATE: StationLiveState = {
  state: 'offline',
  since: 0,
  reason: null,
  good: 0,
  scrap: 0,
  lastStateTs: 0,
};

export type StationLiveChange =
  { kind: 'none' } | { kind: 'state'; previous: StationState } | { kind: 'reason' } | { kind: 'counts' };

/**
 * Applies one event to a station's live state. Pure: returns the next state and what changed.
 * Historical (backfilled) and late events — older than the newest state event already applied —
 * never change the current state; late counts still add to the totals.
 */
export function applyStationEvent(
  current: StationLiveState,
  event: StationEvent,
): { next: StationLiveState; change: StationLiveChange } {
  if (event.type === 'count') {
    if (event.historical) return { next: current, change: { kind: 'none' } };
    const next = { ...current, good: current.good + (event.good ?? 0), scrap: current.scrap + (event.scrap ?? 0) };
    return { next, change: { kind: 'counts' } };
  }
  if (event.type !== 'state' || event.state === undefined || event.historical) {
    return { next: current, change: { kind: 'none' } };
  }
  if (event.ts < current.lastStateTs) return { next: current, change: { kind: 'none' } };
  const reason = event.reason ?? null;
  if (event.state === current.state) {
    const next = { ...current, lastStateTs: event.ts, reason: reason ?? current.reason };
    return { next, change: next.reason !== current.reason ? { kind: 'reason' } : { kind: 'none' } };
  }
  const next = { ...current, state: event.state, since: event.ts, reason, lastStateTs: event.ts };
  return { next, change: { kind: 'state', previous: current.state } };
}
