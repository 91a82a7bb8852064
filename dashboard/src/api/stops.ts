import type { Stop, StopReason } from '@floorboard/shared';
import { apiRequest } from './client';

/** The reason catalogue: a flat list whose `parent` keys make the tree. */
export function fetchReasons(): Promise<StopReason[]> {
  return apiRequest<StopReason[]>('/reasons');
}

/** A line's stops overlapping `[from, to)` (ISO instants), oldest first. */
export function fetchStops(lineKey: string, range: { from: string; to: string }): Promise<Stop[]> {
  return apiRequest<Stop[]>(`/lines/${encodeURIComponent(lineKey)}/stops`, { query: range });
}

/** Gives a stop (or a split part) a catalogue reason; coordinator and above. */
export function classifyStop(stopId: string, reasonKey: string): Promise<Stop> {
  return apiRequest<Stop>(`/stops/${encodeURIComponent(stopId)}/reason`, { method: 'PUT', body: { reasonKey } });
}

export interface SplitStopRequest {
  /** ISO instant strictly inside the stop. */
  at: string;
  firstReasonKey: string;
  secondReasonKey: string;
}

/** Splits a stop at `at` into two parts with one reason each; answers both parts. */
export function splitStop(stopId: string, request: SplitStopRequest): Promise<Stop[]> {
  return apiRequest<Stop[]>(`/stops/${encodeURIComponent(stopId)}/split`, { method: 'POST', body: request });
}
