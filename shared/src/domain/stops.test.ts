import type { StateInterval } from './intervals.js';
import { downtimePareto } from './pareto.js';
import { classifyStops, reasonMatcher, type StopClassification } from './stops.js';
import { parseStopId, stopId } from '../contracts/stops.js';

const CATALOGUE = [
  { key: 'mechanical', name: 'Mechanical' },
  { key: 'jam', name: 'Jam' },
  { key: 'motor-fault', name: 'Motor fault' },
  { key: 'no-material', name: 'No material' },
  { key: 'changeover', name: 'Changeover' },
];

describe('reasonMatcher', () => {
  const match = reasonMatcher(CATALOGUE);
  it.each([
    ['jam', 'jam'],
    ['JAM', 'jam'],
    ['  jam ', 'jam'],
    ['motor-fault', 'motor-fault'],
    ['motor fault', 'motor-fault'],
    ['MOTOR_FAULT', 'motor-fault'],
    ['Motor  Fault', 'motor-fault'],
    ['No material', 'no-material'],
    ['hydraulics leaking', null],
    ['', null],
    ['   ', null],
    [null, null],
  ])('%p → %p', (text, key) => {
    expect(match(text)).toBe(key);
  });
});

const down = (station: string, start: number, end: number, reason: string | null = null): StateInterval => ({
  station,
  state: 'down',
  reason,
  start,
  end,
});

describe('classifyStops', () => {
  const match = reasonMatcher(CATALOGUE);
  const intervals: StateInterval[] = [
    { station: 's1', state: 'running', reason: null, start: 0, end: 100 },
    down('s1', 100, 400, 'jam'),
    { station: 's1', state: 'running', reason: null, start: 400, end: 500 },
    down('s1', 500, 600, 'hydraulics leaking'),
    { station: 's2', state: 'changeover', reason: null, start: 0, end: 300 },
  ];

  it('takes matching station text as the reason and leaves the rest unclassified with the text', () => {
    const out = classifyStops(intervals, [], match);
    expect(out.map((i) => [i.station, i.state, i.start, i.reason, i.reasonSource, i.stationReason])).toEqual([
      ['s1', 'running', 0, null, null, null],
      ['s1', 'down', 100, 'jam', 'station', 'jam'],
      ['s1', 'running', 400, null, null, null],
      ['s1', 'down', 500, null, null, 'hydraulics leaking'],
      ['s2', 'changeover', 0, null, null, null],
    ]);
  });

  it("lets a coordinator's classification win over the station's text", () => {
    const classifications: StopClassification[] = [
      { station: 's1', start: 100, reasonKey: 'motor-fault', split: false },
      { station: 's1', start: 500, reasonKey: 'no-material', split: false },
      { station: 's2', start: 0, reasonKey: 'changeover', split: false },
    ];
    const out = classifyStops(intervals, classifications, match).filter((i) => i.state !== 'running');
    expect(out.map((i) => [i.start, i.reason, i.reasonSource, i.stationReason])).toEqual([
      [100, 'motor-fault', 'coordinator', 'jam'],
      [500, 'no-material', 'coordinator', 'hydraulics leaking'],
      [0, 'changeover', 'coordinator', null],
    ]);
  });

  it('cuts a stop at split points into parts that keep the whole stop in stopStart/stopEnd', () => {
    const classifications: StopClassification[] = [
      { station: 's1', start: 100, reasonKey: 'jam', split: false },
      { station: 's1', start: 250, reasonKey: 'motor-fault', split: true },
      { station: 's1', start: 300, reasonKey: 'no-material', split: true },
    ];
    const out = classifyStops(intervals, classifications, match).filter(
      (i) => i.station === 's1' && i.state === 'down',
    );
    expect(out.map((i) => [i.start, i.end, i.reason, i.reasonSource, i.stopStart, i.stopEnd])).toEqual([
      [100, 250, 'jam', 'coordinator', 100, 400],
      [250, 300, 'motor-fault', 'coordinator', 100, 400],
      [300, 400, 'no-material', 'coordinator', 100, 400],
      [500, 600, null, null, 500, 600],
    ]);
  });

  it('ignores split points outside a stop, at its edges, or of another station', () => {
    const classifications: StopClassification[] = [
      { station: 's1', start: 50, reasonKey: 'jam', split: true },
      { station: 's1', start: 400, reasonKey: 'jam', split: true },
      { station: 's2', start: 200, reasonKey: 'jam', split: true },
    ];
    const out = classifyStops(intervals, classifications, match).filter((i) => i.station === 's1');
    expect(out).toHaveLength(4);
  });

  it('feeds the downtime Pareto with the given reasons', () => {
    const classifications: StopClassification[] = [
      { station: 's1', start: 100, reasonKey: 'jam', split: false },
      { station: 's1', start: 300, reasonKey: 'motor-fault', split: true },
    ];
    const classified = classifyStops(intervals, classifications, match);
    expect(downtimePareto(classified)).toEqual([
      { reason: 'jam', seconds: 0.2, count: 1 },
      { reason: 'motor-fault', seconds: 0.1, count: 1 },
      { reason: null, seconds: 0.1, count: 1 },
    ]);
  });
});

describe('stop ids', () => {
  it('round-trips line, station and start', () => {
    const ref = { line: 'assembly-1', station: 'weld_2', start: 1764300000123 };
    expect(stopId(ref)).toBe('assembly-1.weld_2.1764300000123');
    expect(parseStopId(stopId(ref))).toEqual(ref);
  });
  it.each(['', 'a.b', 'a.b.c', 'A.b.1', 'a.b.-1', 'a..1', "a.b.1' OR 1=1", 'a.b.' + '9'.repeat(16)])(
    'refuses %p',
    (id) => {
      expect(parseStopId(id)).toBeNull();
    },
  );
});
