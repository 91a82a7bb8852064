import { productionDayAt, productionDayOf, zonedTimeToUtc, zoneOffsetMs } from './plant-calendar.js';

const BERLIN = 'Europe/Berlin';
const iso = (ms: number) => new Date(ms).toISOString();

describe('zoneOffsetMs', () => {
  it.each([
    ['2026-01-15T12:00:00Z', BERLIN, 3_600_000],
    ['2026-07-15T12:00:00Z', BERLIN, 7_200_000],
    ['2026-07-15T12:00:00Z', 'America/Chicago', -5 * 3_600_000],
    ['2026-07-15T12:00:00Z', 'Asia/Kolkata', 5.5 * 3_600_000],
    ['2026-07-15T12:00:00Z', 'UTC', 0],
  ])('at %s in %s is %d', (at, tz, expected) => {
    expect(zoneOffsetMs(Date.parse(at), tz)).toBe(expected);
  });
});

describe('zonedTimeToUtc', () => {
  it('resolves ordinary winter and summer times', () => {
    expect(iso(zonedTimeToUtc({ year: 2026, month: 1, day: 15 }, '06:00', BERLIN))).toBe('2026-01-15T05:00:00.000Z');
    expect(iso(zonedTimeToUtc({ year: 2026, month: 7, day: 15 }, '06:00', BERLIN))).toBe('2026-07-15T04:00:00.000Z');
  });
  it('pushes a time inside the spring-forward gap forward by the gap length', () => {
    // 2026-03-29 02:30 does not exist in Berlin (02:00 CET jumps to 03:00 CEST at 01:00Z): it becomes 03:30 CEST.
    expect(iso(zonedTimeToUtc({ year: 2026, month: 3, day: 29 }, '02:30', BERLIN))).toBe('2026-03-29T01:30:00.000Z');
  });
  it('maps an ambiguous autumn time to its first (summer-time) occurrence', () => {
    // 2026-10-25 02:30 happens twice in Berlin: 00:30Z (CEST) and 01:30Z (CET).
    expect(iso(zonedTimeToUtc({ year: 2026, month: 10, day: 25 }, '02:30', BERLIN))).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('production days', () => {
  it.each([
    // date, day start, timezone, start, end, hours
    ['2026-11-27', '06:00', BERLIN, '2026-11-27T05:00:00.000Z', '2026-11-28T05:00:00.000Z', 24],
    ['2026-03-28', '06:00', BERLIN, '2026-03-28T05:00:00.000Z', '2026-03-29T04:00:00.000Z', 23],
    ['2026-10-24', '06:00', BERLIN, '2026-10-24T04:00:00.000Z', '2026-10-25T05:00:00.000Z', 25],
    ['2026-03-29', '00:00', BERLIN, '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', 23],
    ['2026-10-31', '06:00', 'America/Chicago', '2026-10-31T11:00:00.000Z', '2026-11-01T12:00:00.000Z', 25],
  ])('%s starting %s in %s runs %s..%s (%dh)', (date, dayStart, tz, start, end, hours) => {
    const day = productionDayOf(date, dayStart, tz);
    expect(iso(day.start)).toBe(start);
    expect(iso(day.end)).toBe(end);
    expect(day.hours).toBe(hours);
  });

  it('assigns the night before the day start to the previous production day', () => {
    // 03:00 local on the 28th belongs to the production day of the 27th (it starts at 06:00).
    const day = productionDayAt(Date.parse('2026-11-28T02:00:00Z'), '06:00', BERLIN);
    expect(day.date).toBe('2026-11-27');
    expect(productionDayAt(Date.parse('2026-11-28T05:00:00Z'), '06:00', BERLIN).date).toBe('2026-11-28');
    expect(productionDayAt(Date.parse('2026-11-28T04:59:59.999Z'), '06:00', BERLIN).date).toBe('2026-11-27');
  });
});
