import { describe, expect, it } from '@jest/globals';
import { DEMO_PLANT, type PlantFile } from '@floorboard/shared';
import { createPlantSimulation, SIM_STATES, type LineStats, type SimEvent } from './plant-simulation.js';

const START = Date.UTC(2025, 0, 6, 6, 0);
const HOUR = 3_600_000;

const run = (seed: number, untilMs: number, plant: PlantFile = DEMO_PLANT) =>
  createPlantSimulation(plant, { seed, startTs: START }).advanceTo(untilMs);

const share = (station: LineStats['stations'][number], state: (typeof SIM_STATES)[number]) =>
  station.stateMs[state] / SIM_STATES.reduce((sum, s) => sum + station.stateMs[s], 0);

describe('plant simulation', () => {
  it('publishes every station’s initial state at time 0', () => {
    const events = run(42, 0);
    const stations = DEMO_PLANT.lines.flatMap((l) => l.stations.map((s) => `${l.key}/${s.key}`));
    expect(events.every((e) => e.kind === 'state' && e.ts === START)).toBe(true);
    expect(events.map((e) => `${e.line}/${e.station}`).sort()).toEqual(stations.sort());
    expect(events[0]).toMatchObject({ site: 'plant-a', line: 'assembly-1', station: 'press', state: 'running' });
  });

  it('reproduces the same event sequence for the same seed, and another for another seed', () => {
    const a = run(42, 2 * HOUR);
    expect(a.length).toBeGreaterThan(1000);
    expect(run(42, 2 * HOUR)).toEqual(a);
    expect(run(43, 2 * HOUR)).not.toEqual(a);
  });

  it('gives the same events whether advanced in one go or in small steps', () => {
    const sim = createPlantSimulation(DEMO_PLANT, { seed: 7, startTs: START });
    const stepped: SimEvent[] = [];
    for (let t = 0; t <= HOUR; t += 1234) stepped.push(...sim.advanceTo(t));
    stepped.push(...sim.advanceTo(HOUR));
    expect(stepped).toEqual(run(7, HOUR));
  });

  it('keeps events in time order and each station’s states alternating', () => {
    const events = run(5, 4 * HOUR);
    const problems: string[] = [];
    const last = new Map<string, string>();
    events.forEach((e, i) => {
      if (i > 0 && e.ts < (events[i - 1] as SimEvent).ts) problems.push(`event ${i} goes back in time`);
      if (e.kind !== 'state') return;
      const key = `${e.line}/${e.station}`;
      const value = `${e.state}/${e.reason ?? ''}`;
      if (last.get(key) === value) problems.push(`${key} repeats ${value} at ${e.ts}`);
      if (e.state === 'down' && !e.reason) problems.push(`${key} down without a reason`);
      last.set(key, value);
    });
    expect(problems).toEqual([]);
  });

  it('runs a one-station line, which is never starved nor blocked', () => {
    const plant: PlantFile = {
      ...DEMO_PLANT,
      lines: [
        {
          key: 'solo',
          name: 'Solo',
          site: 's',
          idealCycleTimeSec: 10,
          stations: [{ key: 'only', name: 'Only', idealCycleTimeSec: 10 }],
        },
      ],
    };
    const events = run(1, HOUR, plant);
    const states = new Set(events.flatMap((e) => (e.kind === 'state' ? [e.state] : [])));
    expect([...states].sort()).toEqual(['down', 'running']);
    expect(events.filter((e) => e.kind === 'count').length).toBeGreaterThan(250);
  });

  it('never lets a buffer go below 0 or above its capacity, event by event', () => {
    for (const capacity of [0, 1, 3]) {
      const sim = createPlantSimulation(DEMO_PLANT, { seed: 11, startTs: START, bufferCapacity: capacity });
      let min = Infinity;
      let max = -Infinity;
      for (let steps = 0; steps < 20_000; steps++) {
        sim.advanceTo(sim.nextEventAt() as number);
        for (const line of sim.stats()) {
          min = Math.min(min, ...line.buffers);
          max = Math.max(max, ...line.buffers);
        }
      }
      expect([min, max]).toEqual([0, capacity]);
    }
  });

  it('has stations starved and blocked; the first never starved, the last never blocked', () => {
    const events = run(3, 8 * HOUR);
    const states = (state: string) =>
      new Set(events.filter((e) => e.kind === 'state' && e.state === state).map((e) => e.station));
    expect(states('starved').size).toBeGreaterThan(2);
    expect(states('blocked').size).toBeGreaterThan(2);
    expect(states('down').size).toBe(11);
    for (const line of DEMO_PLANT.lines) {
      const first = line.stations[0]?.key as string;
      const last = line.stations.at(-1)?.key as string;
      expect(events.some((e) => e.kind === 'state' && e.station === first && e.state === 'starved')).toBe(false);
      expect(events.some((e) => e.kind === 'state' && e.station === last && e.state === 'blocked')).toBe(false);
    }
  });

  it.each([1, 42, 2024])(
    'over 8 hours (seed %i) the slow station is the bottleneck: busiest, with starved stations after it and blocked ones before',
    (seed) => {
      const sim = createPlantSimulation(DEMO_PLANT, { seed, startTs: START });
      sim.advanceTo(8 * HOUR);
      const slowest = { 'assembly-1': 'paint', 'machining-2': 'mill' } as Record<string, string>;
      for (const line of sim.stats()) {
        const bottleneck = line.stations.findIndex((s) => s.key === slowest[line.key]);
        const running = line.stations.map((s) => share(s, 'running'));
        expect(running.indexOf(Math.max(...running))).toBe(bottleneck);
        line.stations.forEach((station, i) => {
          if (i < bottleneck) expect(share(station, 'blocked')).toBeGreaterThan(share(station, 'starved'));
          if (i > bottleneck) expect(share(station, 'starved')).toBeGreaterThan(share(station, 'blocked'));
        });
      }
    },
  );

  it('conserves parts: what leaves a station arrives downstream, and counts add up to the published events', () => {
    const sim = createPlantSimulation(DEMO_PLANT, { seed: 9, startTs: START, bufferCapacity: 5, scrapRate: 0.03 });
    const events = sim.advanceTo(6 * HOUR);
    for (const line of sim.stats()) {
      line.stations.forEach((station, i) => {
        const published = events.filter((e) => e.kind === 'count' && e.line === line.key && e.station === station.key);
        const sum = (k: 'good' | 'scrap') => published.reduce((n, e) => n + (e.kind === 'count' ? e[k] : 0), 0);
        expect([sum('good'), sum('scrap')]).toEqual([station.good, station.scrap]);
        expect(
          events.filter((e) => e.kind === 'cycle' && e.line === line.key && e.station === station.key),
        ).toHaveLength(published.length);
        if (i === 0) return;
        const upstream = line.stations[i - 1] as typeof station;
        const inWork = station.holdingPart && station.state !== 'blocked' ? 1 : 0;
        const heldUpstream = upstream.state === 'blocked' ? 1 : 0;
        expect(upstream.good + sim.initialBufferFill).toBe(
          station.good + station.scrap + (line.buffers[i - 1] as number) + inWork + heldUpstream,
        );
      });
      const output = line.stations.at(-1) as (typeof line.stations)[number];
      expect(output.good).toBeGreaterThan(0);
      expect(output.scrap).toBeGreaterThan(0);
    }
  });

  it('varies cycle times between the ideal and 15 % above it', () => {
    const cycles = run(21, 2 * HOUR).filter((e) => e.kind === 'cycle' && e.station === 'paint');
    const ms = cycles.map((e) => (e.kind === 'cycle' ? e.ms : 0));
    expect(Math.min(...ms)).toBeGreaterThanOrEqual(40_000);
    expect(Math.max(...ms)).toBeLessThanOrEqual(46_000);
    expect(new Set(ms).size).toBeGreaterThan(ms.length / 2);
  });
});
