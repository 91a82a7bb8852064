import { STOP_STATES, type OeeBucket, type ReasonSource, type StopReason, type StopState } from '../contracts/stops.js';
import type { StateInterval } from './intervals.js';

/** A coordinator's classification, as stored in `stop_classifications` (one row per stop or split part). */
export interface StopClassification {
  station: string;
  /** Epoch ms: where the classified stop, or the part of a split stop, begins. */
  start: number;
  reasonKey: string;
  /** True for a split point: a new part of the stop begins at `start` (the stop's own start is not one). */
  split: boolean;
}

/** An interval after classification: stops carry a catalogue key (or null) and where it came from. */
export interface ClassifiedInterval extends StateInterval {
  /** For stops: the catalogue key or null (unclassified). Other states keep their reason. */
  reason: string | null;
  reasonSource: ReasonSource | null;
  /** The station's own text for this stop. */
  stationReason: string | null;
  /** The whole stop this part belongs to; equal to start/end unless it was split. */
  stopStart: number;
  stopEnd: number;
}

const normalise = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
const slug = (text: string) => normalise(text).replace(/ /g, '-');

export function isStopState(state: string): state is StopState {
  return (STOP_STATES as readonly string[]).includes(state);
}

/**
 * Maps a station's free-text reason onto the catalogue: the key itself, the key written with spaces or
 * underscores (`motor fault`, `MOTOR_FAULT`), or the name, all case-insensitive. Null when nothing matches:
 * the stop stays unclassified and keeps the text as `stationReason`. Build once per catalogue, call per stop.
 */
export function reasonMatcher(
  catalogue: readonly Pick<StopReason, 'key' | 'name'>[],
): (text: string | null) => string | null {
  const byKey = new Map(catalogue.map((r) => [r.key, r.key]));
  const byName = new Map(catalogue.map((r) => [normalise(r.name), r.key]));
  return (text) => {
    if (text === null || text.trim() === '') return null;
    return byKey.get(slug(text)) ?? byName.get(normalise(text)) ?? null;
  };
}

/** What a stop's reason does to the time model: the catalogue's match of a station's text, and each key's bucket. */
export interface ReasonBuckets {
  match: (text: string | null) => string | null;
  /** A key the catalogue does not hold (any more) is an availability loss. */
  bucketOf: (key: string) => OeeBucket;
}

/** The catalogue as `ReasonBuckets`. Build once per catalogue. */
export function reasonBuckets(catalogue: readonly Pick<StopReason, 'key' | 'name' | 'oeeBucket'>[]): ReasonBuckets {
  const buckets = new Map(catalogue.map((r) => [r.key, r.oeeBucket]));
  return { match: reasonMatcher(catalogue), bucketOf: (key) => buckets.get(key) ?? 'availability' };
}

/**
 * Applies coordinators' classifications and split points to one or more stations' intervals, so a
 * downtime Pareto counts stops under the reason a person gave them:
 * - a stop (`down`/`changeover` interval) is cut at every split point strictly inside it;
 * - each part takes the classification stored at its start (`coordinator`), else, for the first part,
 *   the station's text when it matches the catalogue (`station`), else null (unclassified);
 * - other intervals pass through with their reason.
 * Intervals must keep their real starts (`buildIntervals` with `clip: false`): a classification is found
 * by the stop's start. Classifications that match no stop (the stop changed since) are ignored.
 * Pass the result to `downtimePareto`; keep using the unsplit intervals for `computeTimeModel`, where a
 * stop's full length decides micro-stop versus failure.
 */
export function classifyStops(
  intervals: readonly StateInterval[],
  classifications: readonly StopClassification[],
  matchStationReason: (text: string | null) => string | null,
): ClassifiedInterval[] {
  const at = new Map<string, StopClassification>();
  const splits = new Map<string, number[]>();
  for (const c of classifications) {
    at.set(`${c.station}@${c.start}`, c);
    if (!c.split) continue;
    const list = splits.get(c.station);
    if (list) list.push(c.start);
    else splits.set(c.station, [c.start]);
  }
  for (const list of splits.values()) list.sort((a, b) => a - b);
  const out: ClassifiedInterval[] = [];
  for (const interval of intervals) {
    const { station, state, start: stopStart, end: stopEnd, reason: stationReason } = interval;
    if (!isStopState(state)) {
      out.push({
        station,
        state,
        start: stopStart,
        end: stopEnd,
        reason: stationReason,
        reasonSource: null,
        stationReason,
        stopStart,
        stopEnd,
      });
      continue;
    }
    const cuts = splits.get(station)?.filter((t) => t > stopStart && t < stopEnd) ?? [];
    let start = stopStart;
    for (let i = 0; i <= cuts.length; i++) {
      const end = i < cuts.length ? cuts[i]! : stopEnd;
      // Classifications are looked up only where there are any: most stops of a week have none.
      const given = at.size > 0 ? at.get(`${station}@${start}`) : undefined;
      const fromStation = i === 0 ? matchStationReason(stationReason) : null;
      out.push({
        station,
        state,
        start,
        end,
        reason: given?.reasonKey ?? fromStation,
        reasonSource: given ? 'coordinator' : fromStation !== null ? 'station' : null,
        stationReason,
        stopStart,
        stopEnd,
      });
      start = end;
    }
  }
  return out;
}

/** Keeps a station's text as the reason of a stop's first part (for `classifyStops`, matching later). */
export const keepStationText = (text: string | null) => text;

/** Whether a stop with this bucket is an availability loss (ISO 22400's quality ratio counts parts, not time). */
export const isAvailabilityLoss = (bucket: OeeBucket) => bucket === 'availability' || bucket === 'quality';

/**
 * The OEE bucket of a stop part from `classifyStops` with `keepStationText`: a coordinator's reason is a key, a
 * station's is its text (matched once per distinct text); no reason, or no catalogue, is an availability loss.
 */
export function stopPartBuckets(reasons: ReasonBuckets | undefined): (part: ClassifiedInterval) => OeeBucket {
  if (!reasons) return () => 'availability';
  const matched = new Map<string, OeeBucket>();
  return (part) => {
    if (part.reason === null) return 'availability';
    if (part.reasonSource === 'coordinator') return reasons.bucketOf(part.reason);
    let bucket = matched.get(part.reason);
    if (bucket === undefined) {
      const key = reasons.match(part.reason);
      bucket = key === null ? 'availability' : reasons.bucketOf(key);
      matched.set(part.reason, bucket);
    }
    return bucket;
  };
}
