import type { StationState } from '@floorboard/shared';

/** A state event as the history needs it. */
export interface HistoryStateEvent {
  line: string;
  station: string;
  ts: number;
  seq: number;
  state: StationState;
  reason: string | null;
  historical: boolean;
}

/** The stored row an event lands in (`start ≤ ts < end`), or the start of the station's next row when none. */
export interface Landing {
  /** Row containing the event; null when the event lies before the station's first row (or it has none). */
  row: { id: string; start: number; end: number | null } | null;
  /** Start of the first row after `ts`, used when `row` is null: the new rows end there (null: open). */
  nextStart: number | null;
}

export interface NewRow {
  line: string;
  station: string;
  state: StationState;
  reason: string | null;
  start: number;
  end: number | null;
  historical: boolean;
}

export interface IntervalPlan {
  /** Existing rows that now end earlier (`end`), or take the state of an event at their very start. */
  updates: { id: string; end: number | null; replace: { state: StationState; reason: string | null } | null }[];
  inserts: NewRow[];
}

/**
 * Plans the changes to one batch's stations' per-event interval rows (the exact form of shared
 * `insertStateEvent`, applied set-based): each event splits the row it lands in at `ts`, the remainder takes
 * the event's state and reason and keeps the row's end. Several events landing in the same row chain in
 * event-time order (ties by seq: the later one wins, as an event at a row's very start replaces it).
 * `landings[i]` belongs to `events[i]`.
 */
export function planIntervalChanges(events: readonly HistoryStateEvent[], landings: readonly Landing[]): IntervalPlan {
  const groups = new Map<string, { landing: Landing; events: HistoryStateEvent[] }>();
  events.forEach((event, i) => {
    const landing = landings[i]!;
    const key = landing.row ? `row:${landing.row.id}` : `before:${event.line}\u0000${event.station}`;
    const group = groups.get(key) ?? { landing, events: [] };
    group.events.push(event);
    groups.set(key, group);
  });
  const plan: IntervalPlan = { updates: [], inserts: [] };
  for (const { landing, events: group } of groups.values()) {
    group.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
    // Of events at the same instant only the last applied survives (a zero-length row is never stored).
    const distinct = group.filter((e, i) => i + 1 === group.length || group[i + 1]!.ts !== e.ts);
    const row = landing.row;
    const end = row ? row.end : landing.nextStart;
    let first = 0;
    if (row) {
      const head = distinct[0]!;
      if (head.ts === row.start) {
        const next = distinct[1];
        plan.updates.push({
          id: row.id,
          end: next ? next.ts : row.end,
          replace: { state: head.state, reason: head.reason },
        });
        first = 1;
      } else {
        plan.updates.push({ id: row.id, end: head.ts, replace: null });
      }
    }
    for (let i = first; i < distinct.length; i++) {
      const e = distinct[i]!;
      const next = distinct[i + 1];
      plan.inserts.push({
        line: e.line,
        station: e.station,
        state: e.state,
        reason: e.reason,
        start: e.ts,
        end: next ? next.ts : end,
        historical: e.historical,
      });
    }
  }
  return plan;
}
