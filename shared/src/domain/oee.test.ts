import { computeOee, ratioOrNull, throughputRatePerHour } from './oee.js';

const MIN = 60;

describe('computeOee', () => {
  it('reproduces the ISO 22400 worked check exactly', () => {
    // PBT 480 min, OT 400 min, PRU 1 min, PQ 360 (342 good + 18 scrap)
    // A = 400/480 = 0.8333…, P = 1 × 360 / 400 = 0.9, Q = 342/360 = 0.95, OEE = 1 × 342 / 480 = 0.7125
    const oee = computeOee({
      plannedBusySeconds: 480 * MIN,
      operatingSeconds: 400 * MIN,
      idealCycleSeconds: 1 * MIN,
      good: 342,
      scrap: 18,
    });
    expect(oee.availability).toBe(400 / 480);
    expect(oee.performance).toBe(0.9);
    expect(oee.quality).toBe(0.95);
    expect(oee.oee).toBe(0.7125);
    expect(oee.availability! * oee.performance! * oee.quality!).toBeCloseTo(0.7125, 12);
    expect(oee.scrapRatio).toBe(0.05);
    expect(oee.performanceAboveIdeal).toBe(false);
  });

  it.each([
    // name, PBT s, OT s, PRU s, good, scrap → A, P, Q, OEE, P>1
    ['only break time: PBT 0', 0, 0, 30, 0, 0, null, null, null, null, false],
    // planned 3600 s, never operated, nothing produced: A 0, P and Q undefined, OEE = 30×0/3600 = 0
    ['planned but nothing ran', 3600, 0, 30, 0, 0, 0, null, null, 0, false],
    // ran 3600 s, produced 0: P = 30×0/3600 = 0, Q = 0/0 null, OEE 0
    ['ran without output', 3600, 3600, 30, 0, 0, 1, 0, null, 0, false],
    // 130 units at 30 s ideal in 3600 s operating: P = 3900/3600 = 1.0833…, not clamped
    ['pessimistic ideal cycle: P above 1', 3600, 3600, 30, 130, 0, 1, 3900 / 3600, 1, 3900 / 3600, true],
    // A = 1800/3600 = 0.5, P = 30×60/1800 = 1, Q = 50/60, OEE = 30×50/3600 = 0.41666…
    ['half the time, ideal speed, some scrap', 3600, 1800, 30, 50, 10, 0.5, 1, 50 / 60, 1500 / 3600, false],
    ['no ideal cycle time', 3600, 1800, 0, 50, 10, 0.5, null, 50 / 60, null, false],
  ])('%s', (_name, pbt, ot, pru, good, scrap, a, p, q, oee, above) => {
    const r = computeOee({ plannedBusySeconds: pbt, operatingSeconds: ot, idealCycleSeconds: pru, good, scrap });
    expect([r.availability, r.performance, r.quality, r.oee, r.performanceAboveIdeal]).toEqual([a, p, q, oee, above]);
  });

  it('scrap ratio is null without production', () => {
    const r = computeOee({ plannedBusySeconds: 60, operatingSeconds: 60, idealCycleSeconds: 1, good: 0, scrap: 0 });
    expect(r.scrapRatio).toBeNull();
  });
});

describe('ratioOrNull and throughput rate', () => {
  it.each([
    [1, 4, 0.25],
    [0, 4, 0],
    [3, 0, null],
    [0, 0, null],
  ])('ratioOrNull(%d, %d) = %s', (n, d, expected) => {
    expect(ratioOrNull(n, d)).toBe(expected);
  });

  it.each([
    // produced, seconds → per hour
    [360, 480 * 60, 45], // 360 in 8 h
    [10, 600, 60],
    [5, 0, null],
  ])('%d units in %d s is %s per hour', (produced, seconds, expected) => {
    expect(throughputRatePerHour(produced, seconds)).toBe(expected);
  });
});
