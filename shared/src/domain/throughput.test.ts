import { shiftAt, type ShiftCalendar } from './shifts.js';
import { RollingCounter, throughputOver } from './throughput.js';

const M = 60_000;
const T0 = Date.parse('2026-11-27T07:00:00Z'); // 08:00 Berlin, a whole minute
const at = (m: number, s = 0) => T0 + m * M + s * 1000;

describe('RollingCounter', () => {
  it('sums the buckets whose minute starts inside [from, to)', () => {
    const c = new RollingCounter(60);
    c.add(at(0, 10), 2, 1);
    c.add(at(0, 59), 1);
    c.add(at(1), 3);
    c.add(at(5, 30), 4, 2);
    // [0,1): minute 0 → 3 good 1 scrap; [0,6): all → 10 good, 3 scrap; [1, 5:30): minutes 1..5 → 7, 2
    expect(c.total(at(0), at(1))).toEqual({ good: 3, scrap: 1, complete: true });
    expect(c.total(at(0), at(6))).toEqual({ good: 10, scrap: 3, complete: true });
    expect(c.total(at(1), at(5, 30))).toEqual({ good: 7, scrap: 2, complete: true });
    // from is rounded down to its minute: [0:30, 1) still takes minute 0
    expect(c.total(at(0, 30), at(1))).toEqual({ good: 3, scrap: 1, complete: true });
    expect(c.total(at(3), at(3))).toEqual({ good: 0, scrap: 0, complete: true });
  });

  it('puts a late count into its own minute while retained, refuses older ones', () => {
    const c = new RollingCounter(10);
    c.add(at(20), 1);
    expect(c.add(at(12), 5)).toBe(true); // minute 12 is within the 10 minutes 11..20
    expect(c.add(at(10, 59), 7)).toBe(false); // minute 10 has aged out
    expect(c.refused).toBe(1);
    expect(c.total(at(11), at(21))).toEqual({ good: 6, scrap: 0, complete: true });
    expect(c.total(at(5), at(21))).toEqual({ good: 6, scrap: 0, complete: false });
  });

  it('clears buckets it wraps over, and everything after a long silence', () => {
    const c = new RollingCounter(5);
    for (let m = 0; m < 5; m++) c.add(at(m), 1);
    c.add(at(7), 10); // minutes 5..7 reuse the slots of minutes 0..2, which are cleared
    expect(c.total(at(3), at(8))).toEqual({ good: 12, scrap: 0, complete: true }); // 3, 4 → 1 each; 7 → 10
    c.add(at(1000), 2);
    expect(c.total(at(996), at(1001))).toEqual({ good: 2, scrap: 0, complete: true });
  });

  it('answers an incomplete zero before the first count', () => {
    expect(new RollingCounter(5).total(at(0), at(5))).toEqual({ good: 0, scrap: 0, complete: false });
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RollingCounter(0)).toThrow(RangeError);
    expect(() => new RollingCounter(1.5)).toThrow(RangeError);
  });

  it('rolling 15 minutes = the current partial minute and the 14 before it', () => {
    const c = new RollingCounter(60);
    c.add(at(-8, 59), 100); // 07:52:59 Berlin, the minute before the window: excluded
    c.add(at(-7), 3); // 07:53:00 Berlin: the first minute of the window
    c.add(at(7, 29), 4); // 08:07:29 Berlin: the current minute
    const now = at(7, 30);
    const r = c.rolling(now, 15);
    expect(r).toEqual({ good: 7, scrap: 0, complete: true, from: at(-7), to: now });
    // 7 good over 14.5 minutes = 7 × 60 / 14.5 ≈ 28.97 per hour
    expect(throughputOver({ ...r, idealCycleSeconds: 30 }).unitsPerHour).toBeCloseTo((7 * 60) / 14.5, 12);
  });
});

describe('throughputOver', () => {
  it.each([
    // good, span minutes, ideal cycle s → units/hour, target/hour
    [120, 60, 30, 120, 120], // on target: 3600/30 = 120
    [250, 150, 30, 100, 120], // 06:00..08:30, 250 good → 250/2.5 h = 100
    [0, 60, 25, 0, 144], // 3600/25 = 144
    [10, 0, 30, null, 120], // empty span
    [10, 60, 0, 10, null], // no ideal cycle time
  ])('%d good in %d min, ideal %d s → %s/h against %s/h', (good, minutes, ideal, rate, target) => {
    const r = throughputOver({ good, scrap: 3, from: at(0), to: at(minutes), idealCycleSeconds: ideal });
    expect(r).toEqual({ good, scrap: 3, unitsPerHour: rate, targetPerHour: target });
  });

  const plant: ShiftCalendar = {
    timezone: 'Europe/Berlin',
    productionDayStart: '06:00',
    shifts: [
      { name: 'Early', start: '06:00', end: '14:00' },
      { name: 'Late', start: '14:00', end: '22:00' },
      { name: 'Night', start: '22:00', end: '06:00' },
    ],
  };

  it('since shift start across midnight on the autumn DST night uses real elapsed hours', () => {
    // Night of 2026-10-24 starts 22:00 CEST = 20:00Z; now 2026-10-25 05:00 CET = 04:00Z: 8 real hours
    // (the wall clock says 7). 400 good → 50/h, not 57.1.
    const c = new RollingCounter(24 * 60);
    const now = Date.parse('2026-10-25T04:00:00Z');
    const shift = shiftAt(now, plant)!;
    expect(shift.name).toBe('Night');
    c.add(Date.parse('2026-10-24T19:59:00Z'), 999); // the Late shift's last minute
    for (let h = 0; h < 8; h++) c.add(shift.start + h * 3_600_000 + 1000, 50);
    const counts = c.total(shift.start, now);
    expect(counts.good).toBe(400);
    expect(throughputOver({ ...counts, from: shift.start, to: now, idealCycleSeconds: 60 }).unitsPerHour).toBe(50);
  });
});
