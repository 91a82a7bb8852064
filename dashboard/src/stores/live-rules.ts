import type {
  LineEnvelope,
  LineLive,
  LineMetricsUpdatedPayload,
  LineSnapshotPayload,
  StationCountsUpdatedPayload,
  StationLive,
  StationStateChangedPayload,
} from '@floorboard/shared';

/** What the dashboard knows live about one line. */
export interface LiveLineEntry {
  snapshot: LineLive;
  /** Rev of the newest payload applied; the next delta must carry `rev + 1`. */
  rev: number;
  /** Client clock (epoch ms) when the newest payload was applied. */
  lastUpdateAt: number;
  /** True when updates may have been missed (connection lost or a rev gap) until the next snapshot. */
  stale: boolean;
}

/**
 * - `applied`: the payload changed the entry;
 * - `stale`: an old or repeated payload (rev <= last), ignored;
 * - `gap`: a delta that does not follow the last rev (or has nothing to apply to): the line needs a fresh snapshot.
 */
export type ApplyResult = 'applied' | 'stale' | 'gap';

export interface Reduction {
  result: ApplyResult;
  entry: LiveLineEntry | undefined;
}

/**
 * A snapshot replaces everything. It is only ignored when it is older than what a healthy entry already
 * shows; an entry marked stale (reconnect, gap) takes any snapshot, so a restarted server whose revs began
 * again at 0 is followed too.
 */
export function reduceSnapshot(
  entry: LiveLineEntry | undefined,
  payload: LineSnapshotPayload,
  receivedAt: number,
): Reduction {
  if (entry && !entry.stale && payload.rev < entry.rev) return { result: 'stale', entry };
  return {
    result: 'applied',
    entry: {
      snapshot: { ...payload.snapshot, rev: payload.rev, ts: payload.ts },
      rev: payload.rev,
      lastUpdateAt: receivedAt,
      stale: false,
    },
  };
}

function reduceDelta(
  entry: LiveLineEntry | undefined,
  payload: { rev: number; ts: number; station: string },
  receivedAt: number,
  update: (station: StationLive) => StationLive,
): Reduction {
  if (!entry) return { result: 'gap', entry };
  if (payload.rev <= entry.rev) return { result: 'stale', entry };
  const index = entry.snapshot.stations.findIndex((station) => station.key === payload.station);
  // A gap in revs, or a station the snapshot does not know (the topology changed): resynchronise.
  if (payload.rev !== entry.rev + 1 || index === -1) {
    return { result: 'gap', entry: { ...entry, stale: true } };
  }
  const stations = entry.snapshot.stations.slice();
  stations[index] = update(stations[index]);
  return {
    result: 'applied',
    entry: {
      ...entry,
      snapshot: { ...entry.snapshot, stations, rev: payload.rev, ts: payload.ts },
      rev: payload.rev,
      lastUpdateAt: receivedAt,
    },
  };
}

export function reduceStateChanged(
  entry: LiveLineEntry | undefined,
  payload: StationStateChangedPayload,
  receivedAt: number,
): Reduction {
  return reduceDelta(entry, payload, receivedAt, (station) => ({
    ...station,
    state: payload.state,
    since: payload.since,
    reason: payload.reason,
  }));
}

/** `good` and `scrap` in the payload are the station's running totals, like in the snapshot. */
export function reduceCountsUpdated(
  entry: LiveLineEntry | undefined,
  payload: StationCountsUpdatedPayload,
  receivedAt: number,
): Reduction {
  return reduceDelta(entry, payload, receivedAt, (station) => ({
    ...station,
    good: payload.good,
    scrap: payload.scrap,
  }));
}

/**
 * A line event that changes nothing in the snapshot (`alert:*`) but still takes the line's next rev: it only
 * advances the rev, so the delta after it is not mistaken for a gap.
 */
export function reduceRevOnly(entry: LiveLineEntry | undefined, payload: LineEnvelope, receivedAt: number): Reduction {
  if (!entry) return { result: 'gap', entry };
  if (payload.rev <= entry.rev) return { result: 'stale', entry };
  if (payload.rev !== entry.rev + 1) return { result: 'gap', entry: { ...entry, stale: true } };
  return { result: 'applied', entry: { ...entry, rev: payload.rev, lastUpdateAt: receivedAt } };
}

/** `line:metrics-updated` replaces the line's period, throughput, OEE and bottleneck. */
export function reduceMetricsUpdated(
  entry: LiveLineEntry | undefined,
  payload: LineMetricsUpdatedPayload,
  receivedAt: number,
): Reduction {
  if (!entry) return { result: 'gap', entry };
  if (payload.rev <= entry.rev) return { result: 'stale', entry };
  if (payload.rev !== entry.rev + 1) return { result: 'gap', entry: { ...entry, stale: true } };
  const { period, throughput, oee, bottleneck } = payload.metrics;
  return {
    result: 'applied',
    entry: {
      ...entry,
      snapshot: { ...entry.snapshot, period, throughput, oee, bottleneck, rev: payload.rev, ts: payload.ts },
      rev: payload.rev,
      lastUpdateAt: receivedAt,
    },
  };
}
