import type { LiveBottleneck, StationLive, StationState } from '@floorboard/shared';

/**
 * How much a state needs someone's attention, most first: an unplanned stop, then no data at all, then the
 * stations waiting on their neighbours, planned stops, and last the normal states.
 */
const ATTENTION_ORDER: readonly StationState[] = [
  'down',
  'offline',
  'starved',
  'blocked',
  'changeover',
  'maintenance',
  'idle',
  'break',
  'running',
];

/** The state of the line's station that most needs attention; null for a line without stations. */
export function worstState(stations: readonly Pick<StationLive, 'state'>[]): StationState | null {
  let worst: StationState | null = null;
  for (const { state } of stations) {
    if (worst === null || ATTENTION_ORDER.indexOf(state) < ATTENTION_ORDER.indexOf(worst)) worst = state;
  }
  return worst;
}

/** `momentary`: the line's bottleneck right now; `tied`: shares the longest active period with it. */
export type BottleneckMark = 'momentary' | 'tied';

/** The bottleneck mark of every marked station. A tie marks each tied station, the first as `momentary`. */
export function bottleneckMarks(bottleneck: LiveBottleneck | null | undefined): Map<string, BottleneckMark> {
  const marks = new Map<string, BottleneckMark>();
  if (!bottleneck?.station) return marks;
  marks.set(bottleneck.station, 'momentary');
  for (const station of bottleneck.tied) if (!marks.has(station)) marks.set(station, 'tied');
  return marks;
}

/** The period's bottleneck leader and its sole share (0..1), or null while there is none. */
export function shiftLeader(
  bottleneck: LiveBottleneck | null | undefined,
): { station: string; sole: number; shifting: number } | null {
  const leader = bottleneck?.period.station;
  if (!leader) return null;
  const share = bottleneck.period.shares.find((entry) => entry.station === leader);
  return { station: leader, sole: share?.sole ?? 0, shifting: share?.shifting ?? 0 };
}

/** How far a rate is from its target: `below` under 90 %, `near` under 100 %, else `on`; null when unknown. */
export function targetStatus(actual: number | null | undefined, target: number): 'on' | 'near' | 'below' | null {
  if (actual === null || actual === undefined || !(target > 0)) return null;
  const ratio = actual / target;
  return ratio >= 1 ? 'on' : ratio >= 0.9 ? 'near' : 'below';
}
