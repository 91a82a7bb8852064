import type { StationState } from './station-state.js';

/** Planned stops (changeover, maintenance, breaks) versus unplanned ones (faults, missing material). */
export const REASON_CATEGORIES = ['planned', 'unplanned'] as const;
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];

/** Which OEE factor a stop with this reason costs; `excluded` takes the time out of planned busy time. */
export const OEE_BUCKETS = ['availability', 'performance', 'quality', 'excluded'] as const;
export type OeeBucket = (typeof OEE_BUCKETS)[number];

/** A reason key: a lowercase slug, unique across the whole catalogue (not only under its parent). */
export const REASON_KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const REASON_KEY_MAX = 64;

/** One node of the reason catalogue (`GET /api/v1/reasons`, a flat list; `parent` makes the tree). */
export interface StopReason {
  key: string;
  name: string;
  parent: string | null;
  category: ReasonCategory;
  oeeBucket: OeeBucket;
}

/** The states whose intervals are stops. */
export const STOP_STATES = ['down', 'changeover'] as const satisfies readonly StationState[];
export type StopState = (typeof STOP_STATES)[number];

/** Who gave a stop its catalogue reason: the station (its text matched a key or name) or a coordinator. */
export type ReasonSource = 'station' | 'coordinator';

/**
 * One stop of `GET /api/v1/lines/{lineKey}/stops`: a `down` or `changeover` interval of a station, or one
 * part of it after a split. `id` is `line.station.startMs` and stays the same as long as the stop does.
 */
export interface Stop {
  id: string;
  station: string;
  state: StopState;
  /** ISO 8601. */
  start: string;
  /** ISO 8601; null while the stop is ongoing. */
  end: string | null;
  seconds: number;
  /** Catalogue key, or null when unclassified. */
  reason: string | null;
  reasonSource: ReasonSource | null;
  /** The station's own text, as sent (also when it matched no catalogue entry). */
  stationReason: string | null;
  /** The user name of whoever gave the coordinator's reason; null unless `reasonSource` is `coordinator`. */
  classifiedBy: string | null;
  /** ISO 8601: when that reason was given; null unless `reasonSource` is `coordinator`. */
  classifiedAt: string | null;
}

/** A stop's identity, encoded in its id. */
export interface StopRef {
  line: string;
  station: string;
  start: number;
}

const STOP_ID = /^([a-z0-9][a-z0-9_-]{0,63})\.([a-z0-9][a-z0-9_-]{0,63})\.(\d{1,15})$/;

export function stopId(ref: StopRef): string {
  return `${ref.line}.${ref.station}.${ref.start}`;
}

/** The stop a `stopId` names, or null when the id is malformed. */
export function parseStopId(id: string): StopRef | null {
  const m = STOP_ID.exec(id);
  if (!m) return null;
  const start = Number(m[3]);
  return Number.isSafeInteger(start) ? { line: m[1]!, station: m[2]!, start } : null;
}
