import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatClock,
  formatCount,
  formatDate,
  formatDateTime,
  formatDay,
  formatDuration,
  formatNumber,
  formatPercent,
  formatTime,
  localInputToIso,
} from '../../src/lib/format';
import { setLocale } from '../../src/locales/i18n';
import { usePlantCalendarStore } from '../../src/stores/plant-calendar';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [42 * s, '42s'],
    [59 * s + 999, '59s'],
    [60 * s, '1m 00s'],
    [4 * m + 12 * s, '4m 12s'],
    [4 * m + 5 * s, '4m 05s'],
    [59 * m + 59 * s, '59m 59s'],
    [h, '1h 00m'],
    [h + 3 * m + 59 * s, '1h 03m'],
    [23 * h + 59 * m, '23h 59m'],
    [d, '1d 00h'],
    [2 * d + 5 * h + 30 * m, '2d 05h'],
    [-5 * s, '0s'],
  ])('%i ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(0)).toBe('0');
  });
});

describe('formatting in the plant timezone and the active language', () => {
  const BERLIN = { timezone: 'Europe/Berlin', productionDayStart: '06:00', shifts: [] };
  const NBSP = '\u00a0';

  beforeEach(() => {
    setActivePinia(createPinia());
    usePlantCalendarStore().calendar = BERLIN;
  });
  afterEach(() => setLocale('en'));

  // 2026-03-29: Berlin jumps from 02:00 CET to 03:00 CEST (01:00 UTC); 2026-10-25: back from 03:00 CEST to
  // 02:00 CET (01:00 UTC), so 02:30 happens twice.
  const springBefore = Date.UTC(2026, 2, 29, 0, 59, 59);
  const springAfter = Date.UTC(2026, 2, 29, 1, 0, 0);
  const autumnFirst = Date.UTC(2026, 9, 25, 0, 30);
  const autumnSecond = Date.UTC(2026, 9, 25, 1, 30);

  it.each([
    ['en', springBefore, '01:59:59', 'Mar 29, 2026, 01:59:59'],
    ['en', springAfter, '03:00:00', 'Mar 29, 2026, 03:00:00'],
    ['de', springBefore, '01:59:59', '29. März 2026, 01:59:59'],
    ['de', springAfter, '03:00:00', '29. März 2026, 03:00:00'],
    // The repeated hour names its zone, so the two readings of 02:30 differ.
    ['en', autumnFirst, '02:30:00 GMT+2', 'Oct 25, 2026, 02:30:00 GMT+2'],
    ['en', autumnSecond, '02:30:00 GMT+1', 'Oct 25, 2026, 02:30:00 GMT+1'],
    ['de', autumnFirst, '02:30:00 MESZ', '25. Okt. 2026, 02:30:00 MESZ'],
    ['de', autumnSecond, '02:30:00 MEZ', '25. Okt. 2026, 02:30:00 MEZ'],
  ] as const)('%s: %i → %s, %s', (locale, ts, clock, dateTime) => {
    setLocale(locale);
    expect(formatClock(ts)).toBe(clock);
    expect(formatDateTime(ts)).toBe(dateTime);
    expect(formatDateTime(new Date(ts).toISOString())).toBe(dateTime);
  });

  it('names the zone only while the wall time is ambiguous: the hour that repeats when the clocks go back', () => {
    const at = (hh: number, mm: number) => Date.UTC(2026, 9, 25, hh, mm);
    // 01:59 CEST, 02:00 CEST … 02:59 CEST, 02:00 CET … 02:59 CET, 03:00 CET.
    expect([Date.UTC(2026, 9, 24, 23, 59), at(0, 0), at(0, 59), at(1, 0), at(1, 59), at(2, 0)].map(formatTime)).toEqual(
      ['01:59', '02:00 GMT+2', '02:59 GMT+2', '02:00 GMT+1', '02:59 GMT+1', '03:00'],
    );
    // An ordinary hour of the same day, and the same wall time a day earlier, carry no zone.
    expect([formatTime(at(10, 0)), formatClock(Date.UTC(2026, 9, 24, 0, 30))]).toEqual(['11:00', '02:30:00']);
    // The spring gap repeats nothing.
    expect([formatTime(springBefore), formatTime(springAfter)]).toEqual(['01:59', '03:00']);
    setLocale('de');
    expect([formatTime(at(0, 30)), formatTime(at(1, 30)), formatTime(at(2, 30))]).toEqual([
      '02:30 MESZ',
      '02:30 MEZ',
      '03:30',
    ]);
  });

  it('asks the plant’s zone whether a time is ambiguous, not the browser’s', () => {
    const plant = (timezone: string) => (usePlantCalendarStore().calendar = { ...BERLIN, timezone });
    // Berlin's repeated hour is an ordinary morning in Kolkata (which has no DST).
    plant('Asia/Kolkata');
    expect([Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 9, 25, 1, 30)].map(formatTime)).toEqual(['06:00', '07:00']);
    // Chicago goes back on 2026-11-01 at 02:00 CDT (07:00 UTC): 01:30 happens at 06:30 and again at 07:30 UTC.
    plant('America/Chicago');
    expect(
      [Date.UTC(2026, 10, 1, 6, 30), Date.UTC(2026, 10, 1, 7, 30), Date.UTC(2026, 10, 1, 8, 30)].map(formatTime),
    ).toEqual(['01:30 CDT', '01:30 CST', '02:30']);
  });

  it('takes the date from the plant, not from UTC (23:30 UTC is already the next day in Berlin)', () => {
    const lateEvening = Date.UTC(2026, 2, 28, 23, 30);
    expect(formatDate(lateEvening)).toBe('Mar 29, 2026');
    expect(formatTime(lateEvening)).toBe('00:30');
    setLocale('de');
    expect(formatDate(lateEvening)).toBe('29. März 2026');
    expect(formatDay('2026-03-29')).toBe('29. März 2026');
    usePlantCalendarStore().calendar = { ...BERLIN, timezone: 'America/Chicago' };
    expect(formatTime(lateEvening)).toBe('18:30');
    expect(formatDate(lateEvening)).toBe('28. März 2026');
  });

  it('formats counts, numbers and percentages with the language’s separators', () => {
    expect([formatCount(12345), formatNumber(42.46), formatPercent(0.8534), formatPercent(1, 0)]).toEqual([
      '12,345',
      '42.5',
      '85.3%',
      '100%',
    ]);
    setLocale('de');
    expect([formatCount(12345), formatNumber(42.46), formatPercent(0.8534), formatPercent(1, 0)]).toEqual([
      '12.345',
      '42,5',
      `85,3${NBSP}%`,
      `100${NBSP}%`,
    ]);
    expect([formatPercent(null), formatPercent(Number.NaN), formatNumber(undefined)]).toEqual(['—', '—', '—']);
  });

  it.each([
    [42 * s, '42 s'],
    [4 * m + 5 * s, '4 min 05 s'],
    [h + 3 * m, '1 h 03 min'],
    [2 * d + 5 * h, '2 d 05 h'],
  ])('German durations: %i ms → %s', (ms, expected) => {
    setLocale('de');
    expect(formatDuration(ms)).toBe(expected);
  });

  it('reads a datetime-local value as plant time, DST gap and repeated hour included', () => {
    expect(localInputToIso('2026-03-02T14:03:27')).toBe('2026-03-02T13:03:27.000Z');
    expect(localInputToIso('2026-07-01T08:00')).toBe('2026-07-01T06:00:00.000Z');
    // 02:30 does not exist on the spring day: it becomes 03:30 CEST.
    expect(localInputToIso('2026-03-29T02:30')).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 exists twice on the autumn day: the first (CEST) one.
    expect(localInputToIso('2026-10-25T02:30')).toBe('2026-10-25T00:30:00.000Z');
    expect([localInputToIso(''), localInputToIso('yesterday'), localInputToIso('2026-02-30T10:00')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
