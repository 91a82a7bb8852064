import { MAX_EVENT_TS, MIN_EVENT_TS, mapStateCode, type StateCodeTable, type StationState } from '@floorboard/shared';
import { createCumulativeCounters, type CounterMode } from '../counters.js';
import type { DecodedEvent, DecodeResult, Input } from '../input.js';
import { toKey, type StationOverride } from '../station-keys.js';
import {
  counterMax,
  DataType,
  decodeSparkplugPayload,
  metricValue,
  rebirthPayload,
  type MetricValue,
  type RawMetric,
  type RawPayload,
} from './sparkplug-codec.js';

export const SPARKPLUG_INPUT = 'sparkplug';
export const SPARKPLUG_NAMESPACE = 'spBv1.0';

export interface SparkplugMetricNames {
  state: string;
  goodCount: string;
  scrapCount: string;
  cycleTime: string;
  reason: string;
}

export const DEFAULT_SPARKPLUG_METRICS: SparkplugMetricNames = {
  state: 'State',
  goodCount: 'GoodCount',
  scrapCount: 'ScrapCount',
  cycleTime: 'CycleTime',
  reason: 'Reason',
};

/** Where an edge node and its devices land; keyed `<group>/<edge node>` in the options. */
export interface SparkplugNodeMapping {
  line?: string;
  /** Station for the node's own metrics (NBIRTH/NDATA); without it they are not used. */
  station?: string;
  devices?: Readonly<Record<string, StationOverride>>;
}

export interface SparkplugHostOptions {
  hostId: string;
  topicFilters?: readonly string[];
  /** How long to wait for a missing seq before asking for a rebirth. */
  reorderTimeoutMs?: number;
  metrics?: Partial<SparkplugMetricNames>;
  stateTable?: StateCodeTable;
  customStates?: Readonly<Record<string, StationState>>;
  counters?: CounterMode;
  nodes?: Readonly<Record<string, SparkplugNodeMapping>>;
  /** Publishes on the gateway's MQTT connection (NCMD, STATE). */
  publish(topic: string, payload: Buffer, options: { qos: 0 | 1; retain: boolean }): Promise<void>;
  /** Events decoded outside `decode` (messages held for reordering, then released by the timer). */
  emit(events: DecodedEvent[]): void;
  onRebirthRequested?(reason: RebirthReason): void;
  onWarning?(code: string, message: string, fields?: Record<string, unknown>): void;
  now?: () => number;
}

export type RebirthReason = 'seq-gap' | 'data-before-birth' | 'unknown-alias';

interface MetricInfo {
  name: string;
  datatype: number;
  /** null: the node's own metric. */
  device: string | null;
}

interface HeldMessage {
  verb: string;
  device: string | null;
  payload: RawPayload;
  receivedAt: number;
}

interface NodeSession {
  group: string;
  node: string;
  born: boolean;
  bdSeq: number | null;
  expectedSeq: number;
  aliases: Map<number, MetricInfo>;
  /** Datatype per metric name, per device ('' = the node). */
  names: Map<string, Map<string, number>>;
  devicesOnline: Set<string>;
  held: Map<number, HeldMessage>;
  reorderTimer: NodeJS.Timeout | null;
  rebirthAt: number | null;
  /** Where each device lands (see `placeOf`), by device name; {@link NODE_ITSELF} for the node's own metrics. */
  places: Map<string, Place | null>;
}

interface Place {
  line: string;
  station: string;
  /** `line/station` */
  id: string;
}

const place = (line: string, station: string): Place => ({ line, station, id: `${line}/${station}` });
/** A key no device name can be: MQTT topics never hold U+0000 (MQTT 3.1.1 §4.7.3). */
const NODE_ITSELF = '\u0000';

const REBIRTH_MIN_INTERVAL_MS = 5000;

/**
 * A Sparkplug B 3.0 Host Application (STANDARDS.md §1) as a gateway input:
 * - STATE: the MQTT Will is `{online:false, timestamp:T}` on `spBv1.0/STATE/<hostId>` (QoS 1,
 *   retained) and, once subscribed, `{online:true, timestamp:T}` with the same T is published; our
 *   own offline STATE seen on the wire is answered by publishing online again;
 * - per edge node: NBIRTH rebuilds the alias table and resets `seq`; every later message must carry
 *   the next seq (0–255, wrapping). A message ahead of the expected seq is held and a reorder timer
 *   runs; if the missing one arrives, all are processed in order; if the timer fires, one Rebirth
 *   NCMD is sent and the held messages are processed (their data is real). Data before a birth and
 *   unknown aliases also ask for a rebirth (at most once per node per 5 s);
 * - NDEATH counts only with the bdSeq of the current NBIRTH; it takes the node's stations offline
 *   at our receive time; DDEATH takes one station offline at its timestamp;
 * - metrics: `State` (a Floorboard name, or a number through the configured code table, PackML by
 *   default), `GoodCount`/`ScrapCount` (cumulative by default: turned into increments with reset
 *   and rollover detection), `CycleTime` (ms), `Reason`; `is_historical` metrics become
 *   `historical: true` events and use their own counter baselines, so they never move live state.
 * Held messages are acknowledged (QoS 1) once held: a gateway crash inside the reorder window
 * loses them, and the edge's next birth restores its current values (cumulative counters
 * included).
 */
export function createSparkplugHost(options: SparkplugHostOptions): Input & { close(): void } {
  const names = { ...DEFAULT_SPARKPLUG_METRICS, ...options.metrics };
  const table = options.stateTable ?? 'packml';
  const counterMode = options.counters ?? 'cumulative';
  const reorderTimeoutMs = options.reorderTimeoutMs ?? 2000;
  const now = options.now ?? Date.now;
  const stateTopic = `${SPARKPLUG_NAMESPACE}/STATE/${options.hostId}`;
  const sessions = new Map<string, NodeSession>();
  const totals = createCumulativeCounters();
  const lastReason = new Map<string, string>();
  let stateTimestamp = now();

  const session = (group: string, node: string): NodeSession => {
    const id = `${group}/${node}`;
    let s = sessions.get(id);
    if (!s) {
      s = {
        group,
        node,
        born: false,
        bdSeq: null,
        expectedSeq: 0,
        aliases: new Map(),
        names: new Map(),
        devicesOnline: new Set(),
        held: new Map(),
        reorderTimer: null,
        rebirthAt: null,
        places: new Map(),
      };
      sessions.set(id, s);
    }
    return s;
  };

  const requestRebirth = (s: NodeSession, reason: RebirthReason) => {
    const at = now();
    if (s.rebirthAt !== null && at - s.rebirthAt < REBIRTH_MIN_INTERVAL_MS) return;
    s.rebirthAt = at;
    options.onRebirthRequested?.(reason);
    options.onWarning?.('SPARKPLUG_REBIRTH', 'asking an edge node to rebirth', {
      node: `${s.group}/${s.node}`,
      reason,
    });
    void options
      .publish(`${SPARKPLUG_NAMESPACE}/${s.group}/NCMD/${s.node}`, rebirthPayload(at), { qos: 0, retain: false })
      .catch(() => undefined);
  };

  /** line/station of a device (or of the node's own metrics when `device` is null). */
  const findPlace = (s: NodeSession, device: string | null): Place | null => {
    const mapping = options.nodes?.[`${s.group}/${s.node}`];
    const line = mapping?.line ?? toKey(s.node);
    if (device === null) {
      return line && mapping?.station ? place(line, mapping.station) : null;
    }
    const override = mapping?.devices?.[device];
    const station = override?.station ?? toKey(device);
    const deviceLine = override?.line ?? line;
    return deviceLine && station ? place(deviceLine, station) : null;
  };
  // The mapping is fixed for the host's life, so each node's places are worked out once, not per message (profiled).
  const placeOf = (s: NodeSession, device: string | null): Place | null => {
    const id = device ?? NODE_ITSELF;
    let found = s.places.get(id);
    if (found === undefined) {
      found = findPlace(s, device);
      s.places.set(id, found);
    }
    return found;
  };

  const validTs = (ts: number | undefined): number | undefined =>
    ts !== undefined && Number.isSafeInteger(ts) && ts >= MIN_EVENT_TS && ts < MAX_EVENT_TS ? ts : undefined;

  /** Turns the metrics of one birth or data message into events. */
  const metricsToEvents = (
    s: NodeSession,
    device: string | null,
    payload: RawPayload,
    receivedAt: number,
    isBirth: boolean,
  ): { events: DecodedEvent[]; unknownAlias: boolean } => {
    const place = placeOf(s, device);
    const table_ = s.names.get(device ?? '') ?? new Map<string, number>();
    const resolved: { name: string; value: MetricValue; datatype: number; ts: number; historical: boolean }[] = [];
    let unknownAlias = false;
    for (const m of payload.metrics) {
      let info: MetricInfo | undefined;
      if (m.name !== undefined && m.name !== '') {
        const datatype = m.datatype || table_.get(m.name) || 0;
        info = { name: m.name, datatype, device };
      } else if (m.alias !== undefined) {
        info = s.aliases.get(m.alias);
        if (!info) {
          unknownAlias = true;
          continue;
        }
      }
      if (!info) continue;
      const datatype = m.datatype || info.datatype;
      const value = metricValue(m, datatype);
      if (value === undefined) continue;
      const ts = validTs(m.timestamp) ?? validTs(payload.timestamp) ?? receivedAt;
      resolved.push({ name: info.name, value, datatype, ts, historical: m.historical });
    }
    if (!place) return { events: [], unknownAlias };
    const base = { line: place.line, station: place.station, source: 'sparkplug' as const };
    const stationId = place.id;
    const events: DecodedEvent[] = [];
    const reasonMetric = resolved.find((r) => r.name === names.reason && typeof r.value === 'string');
    if (reasonMetric && !reasonMetric.historical) lastReason.set(stationId, reasonMetric.value as string);
    for (const r of resolved) {
      const hist = r.historical ? { historical: true } : {};
      if (r.name === names.state && (typeof r.value === 'string' || typeof r.value === 'number')) {
        const reason = reasonMetric?.value as string | undefined;
        const state = mapStateCode(r.value, table, {
          custom: options.customStates,
          reason: reason ?? lastReason.get(stationId),
        });
        if (!state) {
          options.onWarning?.('STATE_UNKNOWN', 'sparkplug state value not in the code table', {
            value: r.value,
            table,
          });
          continue;
        }
        events.push({ ...base, ts: r.ts, type: 'state', state, ...(reason ? { reason } : {}), ...hist });
      } else if ((r.name === names.goodCount || r.name === names.scrapCount) && typeof r.value === 'number') {
        const field = r.name === names.goodCount ? 'good' : 'scrap';
        let amount: number | null = Math.trunc(r.value);
        if (counterMode === 'cumulative') {
          const key = `${r.historical ? 'h' : 'l'}:${stationId}:${field}`;
          amount = totals.next(key, amount, counterMax(r.datatype));
        } else if (isBirth) {
          amount = null; // a birth repeats current values; in increment mode they were counted already
        }
        if (amount !== null && amount > 0) {
          // Plain literals (no computed keys, no spread): this is the hot path of Sparkplug DDATA (profiled).
          const { line, station, source } = base;
          const count: DecodedEvent =
            field === 'good'
              ? { line, station, source, ts: r.ts, type: 'count', good: amount }
              : { line, station, source, ts: r.ts, type: 'count', scrap: amount };
          if (r.historical) count.historical = true;
          events.push(count);
        }
      } else if (r.name === names.cycleTime && typeof r.value === 'number' && r.value > 0) {
        events.push({ ...base, ts: r.ts, type: 'cycle', cycleMs: Math.round(r.value), ...hist });
      }
    }
    return { events, unknownAlias };
  };

  const offlineEvent = (s: NodeSession, device: string | null, ts: number): DecodedEvent[] => {
    const place = placeOf(s, device);
    return place
      ? [{ line: place.line, station: place.station, source: 'sparkplug', ts, type: 'state', state: 'offline' }]
      : [];
  };

  /** Processes one in-order message of a born node (DBIRTH, NDATA, DDATA, DDEATH). */
  const processInOrder = (s: NodeSession, m: HeldMessage): DecodedEvent[] => {
    switch (m.verb) {
      case 'DBIRTH': {
        if (m.device === null) return [];
        s.devicesOnline.add(m.device);
        const byName = new Map<string, number>();
        for (const metric of m.payload.metrics) {
          if (!metric.name) continue;
          byName.set(metric.name, metric.datatype);
          if (metric.alias !== undefined)
            s.aliases.set(metric.alias, { name: metric.name, datatype: metric.datatype, device: m.device });
        }
        s.names.set(m.device, byName);
        return metricsToEvents(s, m.device, m.payload, m.receivedAt, true).events;
      }
      case 'DDEATH': {
        if (m.device === null) return [];
        s.devicesOnline.delete(m.device);
        return offlineEvent(s, m.device, validTs(m.payload.timestamp) ?? m.receivedAt);
      }
      case 'NDATA':
      case 'DDATA': {
        const { events, unknownAlias } = metricsToEvents(s, m.device, m.payload, m.receivedAt, false);
        if (unknownAlias) requestRebirth(s, 'unknown-alias');
        return events;
      }
      default:
        return [];
    }
  };

  const releaseHeld = (s: NodeSession): DecodedEvent[] => {
    const out: DecodedEvent[] = [];
    while (s.held.has(s.expectedSeq)) {
      const m = s.held.get(s.expectedSeq) as HeldMessage;
      s.held.delete(s.expectedSeq);
      s.expectedSeq = (s.expectedSeq + 1) % 256;
      out.push(...processInOrder(s, m));
    }
    if (s.held.size === 0 && s.reorderTimer) {
      clearTimeout(s.reorderTimer);
      s.reorderTimer = null;
    }
    return out;
  };

  const onReorderTimeout = (s: NodeSession) => {
    s.reorderTimer = null;
    if (s.held.size === 0) return;
    requestRebirth(s, 'seq-gap');
    // The gap is given up: the held messages are processed in seq order (their data is real).
    const ordered = [...s.held.keys()].sort(
      (a, b) => ((a - s.expectedSeq + 256) % 256) - ((b - s.expectedSeq + 256) % 256),
    );
    const events: DecodedEvent[] = [];
    for (const seq of ordered) {
      const m = s.held.get(seq) as HeldMessage;
      s.held.delete(seq);
      s.expectedSeq = (seq + 1) % 256;
      events.push(...processInOrder(s, m));
    }
    if (events.length > 0) options.emit(events);
  };

  const resetNode = (s: NodeSession) => {
    s.aliases.clear();
    s.names.clear();
    s.held.clear();
    if (s.reorderTimer) clearTimeout(s.reorderTimer);
    s.reorderTimer = null;
  };

  const onOwnState = (payload: Buffer): DecodeResult => {
    try {
      const state = JSON.parse(payload.toString('utf8')) as { online?: unknown };
      if (state.online === false) void publishState(true);
    } catch {
      // Not ours to judge; another writer on our STATE topic.
    }
    return { ignored: 'state' };
  };

  const publishState = (online: boolean) =>
    options
      .publish(stateTopic, Buffer.from(JSON.stringify({ online, timestamp: stateTimestamp })), { qos: 1, retain: true })
      .catch(() => undefined);

  const decode = (topic: string, bytes: Buffer): DecodeResult => {
    const parts = topic.split('/');
    if (parts[0] !== SPARKPLUG_NAMESPACE) return { error: { code: 'TOPIC_UNKNOWN', message: 'not a spBv1.0 topic' } };
    if (parts[1] === 'STATE')
      return parts.slice(2).join('/') === options.hostId ? onOwnState(bytes) : { ignored: 'state' };
    if (parts.length !== 4 && parts.length !== 5) {
      return { error: { code: 'TOPIC_UNKNOWN', message: 'not a spBv1.0/<group>/<verb>/<node>[/<device>] topic' } };
    }
    const [, group, verb, node, device = null] = parts as [string, string, string, string, string?];
    if (verb === 'NCMD' || verb === 'DCMD') return { ignored: 'command' };
    if (!['NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA'].includes(verb)) {
      return { error: { code: 'TOPIC_CHANNEL_UNKNOWN', message: `unknown Sparkplug verb "${verb}"` } };
    }
    if (verb.startsWith('D') !== (device !== null)) {
      return { error: { code: 'TOPIC_UNKNOWN', message: `${verb} with${device === null ? 'out' : ''} a device id` } };
    }
    let payload: RawPayload;
    try {
      payload = decodeSparkplugPayload(bytes);
    } catch (error) {
      return { error: { code: 'PAYLOAD_INVALID', message: `not a Sparkplug B payload: ${(error as Error).message}` } };
    }
    const receivedAt = now();
    const s = session(group, node);

    if (verb === 'NBIRTH') {
      const bdSeq = bdSeqOf(payload.metrics);
      resetNode(s);
      s.born = true;
      s.bdSeq = bdSeq;
      s.rebirthAt = null;
      s.expectedSeq = ((payload.seq ?? 0) + 1) % 256;
      const own = new Map<string, number>();
      for (const metric of payload.metrics) {
        if (!metric.name) continue;
        own.set(metric.name, metric.datatype);
        if (metric.alias !== undefined)
          s.aliases.set(metric.alias, { name: metric.name, datatype: metric.datatype, device: null });
      }
      s.names.set('', own);
      return { events: metricsToEvents(s, null, payload, receivedAt, true).events };
    }
    if (verb === 'NDEATH') {
      const bdSeq = bdSeqOf(payload.metrics);
      if (!s.born || bdSeq === null || bdSeq !== s.bdSeq) return { ignored: 'stale-ndeath' };
      const events = [...s.devicesOnline].flatMap((d) => offlineEvent(s, d, receivedAt));
      events.push(...offlineEvent(s, null, receivedAt));
      s.born = false;
      s.devicesOnline.clear();
      resetNode(s);
      return { events };
    }
    if (!s.born) {
      requestRebirth(s, 'data-before-birth');
      return { error: { code: 'SPARKPLUG_NO_BIRTH', message: `${verb} from ${group}/${node} before its NBIRTH` } };
    }
    if (payload.seq === undefined || !Number.isInteger(payload.seq) || payload.seq < 0 || payload.seq > 255) {
      return { error: { code: 'SPARKPLUG_SEQ_INVALID', message: `${verb} without a valid seq` } };
    }
    const message: HeldMessage = { verb, device, payload, receivedAt };
    const distance = (payload.seq - s.expectedSeq + 256) % 256;
    if (distance === 0) {
      s.expectedSeq = (s.expectedSeq + 1) % 256;
      const events = processInOrder(s, message);
      events.push(...releaseHeld(s));
      return { events };
    }
    if (distance < 128) {
      s.held.set(payload.seq, message);
      s.reorderTimer ??= setTimeout(() => onReorderTimeout(s), reorderTimeoutMs);
      return { events: [] };
    }
    // Behind the expected seq: a late message after a gap was given up. Its data is still real.
    return { events: processInOrder(s, message) };
  };

  return {
    name: SPARKPLUG_INPUT,
    topicFilters: options.topicFilters ?? [`${SPARKPLUG_NAMESPACE}/#`],
    decode,
    session: {
      will() {
        stateTimestamp = now();
        return {
          topic: stateTopic,
          payload: Buffer.from(JSON.stringify({ online: false, timestamp: stateTimestamp })),
          qos: 1,
          retain: true,
        };
      },
      onSubscribed: () => void publishState(true),
      beforeDisconnect: async () => {
        await publishState(false);
      },
      close: () => sessions.forEach(resetNode),
    },
    close: () => sessions.forEach(resetNode),
  };
}

function bdSeqOf(metrics: RawMetric[]): number | null {
  const m = metrics.find((x) => x.name === 'bdSeq');
  if (!m) return null;
  const v = metricValue(m, m.datatype || DataType.UInt64);
  return typeof v === 'number' ? v : null;
}
