import type { PlantFile } from '@floorboard/shared';
import { TimerHeap } from './event-heap.js';
import { deriveSeed, exponential, lognormal, mulberry32, pick, triangular, type Random } from './prng.js';

/**
 * Discrete-event simulation of serial flow lines. Pure and clock-free: `advanceTo(simMs)` processes
 * every timer up to that simulated time and returns what stations would publish. The MQTT publisher
 * (publisher.ts) is a thin shell that maps wall-clock time onto simulated time.
 *
 * Model, per line: stations in flow order with a finite buffer between neighbours. The first station
 * has unlimited raw material (never starved), the last an unlimited exit (never blocked). A station
 * takes a part from its upstream buffer, works on it for a random cycle time, then puts it in the
 * downstream buffer (or is `blocked` while that is full) and takes the next (or is `starved`). Faults
 * are operation-dependent: each station fails after an exponential amount of *running* time, is
 * `down` for a lognormal repair time and then finishes the interrupted part.
 */
export type SimState = 'running' | 'starved' | 'blocked' | 'down';
export const SIM_STATES: readonly SimState[] = ['running', 'starved', 'blocked', 'down'];

interface EventBase {
  /** Event time: `startTs` + simulated milliseconds. */
  ts: number;
  site: string;
  line: string;
  station: string;
}
export type SimEvent =
  | (EventBase & { kind: 'state'; state: SimState; reason?: string })
  | (EventBase & { kind: 'count'; good: number; scrap: number })
  | (EventBase & { kind: 'cycle'; ms: number });

export interface SimulationOptions {
  seed: number;
  /** Epoch ms of simulated time 0. */
  startTs: number;
  /** Parts a buffer between two stations holds (0 = stations hand parts over directly). */
  bufferCapacity?: number;
  /** Parts in each buffer at the start, so the demo is busy at once; default half the capacity. */
  initialBufferFill?: number;
  /** Mean running time between faults of one station. */
  mtbfSec?: number;
  /** Median repair time; individual repairs spread lognormally (from a few seconds to several minutes). */
  mttrMedianSec?: number;
  scrapRate?: number;
  /** Cycle times vary from the ideal up to ideal × (1 + this); the ideal is the fastest a station runs. */
  cycleVariation?: number;
}

export interface StationStats {
  key: string;
  state: SimState;
  /** Milliseconds spent in each state so far. */
  stateMs: Record<SimState, number>;
  good: number;
  scrap: number;
  /** Whether the station holds a part (in work, or finished and waiting while blocked). */
  holdingPart: boolean;
}

export interface LineStats {
  key: string;
  site: string;
  /** Current level of each buffer; `buffers[i]` sits between station i and i+1. */
  buffers: number[];
  stations: StationStats[];
}

export interface PlantSimulation {
  /** Simulated milliseconds since start. */
  readonly now: number;
  readonly bufferCapacity: number;
  readonly initialBufferFill: number;
  /** Simulated time of the next timer, or null if none (never, in a running plant). */
  nextEventAt(): number | null;
  /** Runs the simulation up to `simMs` (inclusive) and returns the events in order. */
  advanceTo(simMs: number): SimEvent[];
  stats(): LineStats[];
}

const DOWN_REASONS = ['jam', 'motor fault', 'sensor fault', 'material misfeed', 'tool wear'];

interface Station {
  key: string;
  index: number;
  line: Line;
  idealMs: number;
  random: Random;
  state: SimState;
  reason: string | undefined;
  holdingPart: boolean;
  /** Work left on the current part. */
  workLeftMs: number;
  /** Total work of the current part: its cycle time. */
  partMs: number;
  /** Running time left until the next fault. */
  upLeftMs: number;
  segmentStart: number;
  published: { state: SimState; reason: string | undefined } | null;
  publishedAt: number;
  stateMs: Record<SimState, number>;
  good: number;
  scrap: number;
}

interface Line {
  key: string;
  site: string;
  stations: Station[];
  buffers: number[];
}

type Timer = { station: Station; kind: 'complete' | 'fail' | 'repair' };

export function createPlantSimulation(plant: PlantFile, options: SimulationOptions): PlantSimulation {
  const capacity = Math.max(0, Math.floor(options.bufferCapacity ?? 4));
  const initialFill = Math.min(capacity, Math.max(0, Math.floor(options.initialBufferFill ?? capacity / 2)));
  const mtbfMs = (options.mtbfSec ?? 600) * 1000;
  const mttrMedianMs = (options.mttrMedianSec ?? 60) * 1000;
  const scrapRate = options.scrapRate ?? 0.01;
  const variation = options.cycleVariation ?? 0.15;
  const { startTs } = options;

  const timers = new TimerHeap<Timer>();
  let now = 0;
  let out: SimEvent[] = [];
  const dirty = new Set<Station>();

  const lines: Line[] = plant.lines.map((planLine) => {
    const line: Line = { key: planLine.key, site: planLine.site, stations: [], buffers: [] };
    line.stations = planLine.stations.map((s, index) => {
      const random = mulberry32(deriveSeed(options.seed, planLine.key, s.key));
      return {
        key: s.key,
        index,
        line,
        idealMs: s.idealCycleTimeSec * 1000,
        random,
        state: 'starved',
        reason: undefined,
        holdingPart: false,
        workLeftMs: 0,
        partMs: 0,
        upLeftMs: Math.max(1, Math.round(exponential(random, mtbfMs))),
        segmentStart: 0,
        published: null,
        publishedAt: 0,
        stateMs: { running: 0, starved: 0, blocked: 0, down: 0 },
        good: 0,
        scrap: 0,
      };
    });
    line.buffers = line.stations.slice(1).map(() => initialFill);
    return line;
  });

  const emit = (station: Station, event: Record<string, unknown>) => {
    const base = { ts: startTs + now, site: station.line.site, line: station.line.key, station: station.key };
    out.push({ ...base, ...event } as SimEvent);
  };

  const setState = (station: Station, state: SimState, reason?: string) => {
    station.state = state;
    station.reason = reason;
    dirty.add(station);
  };

  // Work runs until the part is done or the next fault, whichever comes first.
  const startSegment = (station: Station) => {
    station.segmentStart = now;
    setState(station, 'running');
    if (station.upLeftMs < station.workLeftMs) timers.push(now + station.upLeftMs, { station, kind: 'fail' });
    else timers.push(now + station.workLeftMs, { station, kind: 'complete' });
  };

  const startPart = (station: Station) => {
    const ideal = station.idealMs;
    // Mode slightly above the ideal: stations mostly run a little slower than their design rate.
    const ms = Math.max(
      1,
      Math.round(triangular(station.random, ideal, ideal * (1 + variation / 3), ideal * (1 + variation))),
    );
    station.holdingPart = true;
    station.partMs = ms;
    station.workLeftMs = ms;
    startSegment(station);
  };

  const upstreamOf = (station: Station) => station.line.stations[station.index - 1];
  const downstreamOf = (station: Station) => station.line.stations[station.index + 1];

  /** Takes the next part: raw material, the upstream buffer, or straight from a blocked upstream station. */
  const pull = (station: Station) => {
    const upstream = upstreamOf(station);
    if (!upstream) return startPart(station);
    const slot = station.index - 1;
    if ((station.line.buffers[slot] as number) > 0) {
      station.line.buffers[slot] = (station.line.buffers[slot] as number) - 1;
      startPart(station);
      if (upstream.state === 'blocked') push(upstream);
      return;
    }
    if (upstream.state === 'blocked') {
      upstream.holdingPart = false;
      startPart(station);
      pull(upstream);
      return;
    }
    setState(station, 'starved');
  };

  /** Hands a finished part on: to the exit, to a starved neighbour, into the buffer, or blocks. */
  const push = (station: Station) => {
    const downstream = downstreamOf(station);
    if (!downstream) {
      station.holdingPart = false;
      return pull(station);
    }
    const slot = station.index;
    if (downstream.state === 'starved' && station.line.buffers[slot] === 0) {
      station.holdingPart = false;
      startPart(downstream);
      return pull(station);
    }
    if ((station.line.buffers[slot] as number) < capacity) {
      station.line.buffers[slot] = (station.line.buffers[slot] as number) + 1;
      station.holdingPart = false;
      if (downstream.state === 'starved') pull(downstream);
      return pull(station);
    }
    setState(station, 'blocked');
  };

  const complete = (station: Station) => {
    station.upLeftMs -= now - station.segmentStart;
    const scrapped = station.random() < scrapRate;
    emit(station, { kind: 'cycle', ms: station.partMs });
    emit(station, { kind: 'count', good: scrapped ? 0 : 1, scrap: scrapped ? 1 : 0 });
    if (scrapped) {
      station.scrap += 1;
      station.holdingPart = false;
      return pull(station);
    }
    station.good += 1;
    push(station);
  };

  const fail = (station: Station) => {
    station.workLeftMs -= now - station.segmentStart;
    station.upLeftMs = Math.max(1, Math.round(exponential(station.random, mtbfMs)));
    setState(station, 'down', pick(station.random, DOWN_REASONS));
    const repairMs = Math.min(10 * mttrMedianMs, Math.max(5_000, lognormal(station.random, mttrMedianMs, 0.7)));
    timers.push(now + Math.round(repairMs), { station, kind: 'repair' });
  };

  // Publish a state only when it differs at the end of an instant: a station that is starved and
  // fed again within the same millisecond never flickers.
  const settle = () => {
    for (const station of dirty) {
      const last = station.published;
      if (last && last.state === station.state && last.reason === station.reason) continue;
      if (last) station.stateMs[last.state] += now - station.publishedAt;
      station.published = { state: station.state, reason: station.reason };
      station.publishedAt = now;
      emit(station, { kind: 'state', state: station.state, ...(station.reason ? { reason: station.reason } : {}) });
    }
    dirty.clear();
  };

  // Time 0: every station takes its first part (from raw material or the pre-filled buffers).
  for (const line of lines) for (const station of line.stations) dirty.add(station);
  for (const line of lines) for (const station of line.stations) if (!station.holdingPart) pull(station);
  settle();

  return {
    get now() {
      return now;
    },
    bufferCapacity: capacity,
    initialBufferFill: initialFill,
    nextEventAt: () => timers.peekTime(),
    advanceTo(simMs) {
      for (let at = timers.peekTime(); at !== null && at <= simMs; at = timers.peekTime()) {
        now = at;
        while (timers.peekTime() === at) {
          const { station, kind } = (timers.pop() as { value: Timer }).value;
          if (kind === 'complete') complete(station);
          else if (kind === 'fail') fail(station);
          else startSegment(station);
        }
        settle();
      }
      now = Math.max(now, simMs);
      const events = out;
      out = [];
      return events;
    },
    stats: () =>
      lines.map((line) => ({
        key: line.key,
        site: line.site,
        buffers: [...line.buffers],
        stations: line.stations.map((s) => {
          const stateMs = { ...s.stateMs };
          if (s.published) stateMs[s.published.state] += now - s.publishedAt;
          return { key: s.key, state: s.state, stateMs, good: s.good, scrap: s.scrap, holdingPart: s.holdingPart };
        }),
      })),
  };
}
