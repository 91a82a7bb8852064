import { describe, expect, it } from 'vitest';
import type { PlantCalendar } from '@floorboard/shared';
import {
  parseRangeQuery,
  rangeToQuery,
  resolveRange,
  toPlantLocalInput,
  type RangeSelection,
} from '../../src/lib/time-range';

const BERLIN: PlantCalendar = {
  timezone: 'Europe/Berlin',
  productionDayStart: '06:00',
  shifts: [
    { name: 'Early', start: '06:00', end: '14:00' },
    { name: 'Late', start: '14:00', end: '22:00' },
    { name: 'Night', start: '22:00', end: '06:00' },
  ],
};

describe('range query', () => {
  it.each<[Record<string, unknown>, RangeSelection]>([
    [{}, { kind: 'current-shift' }],
    [
      { range: 'shift', date: '2026-03-02', shift: 'Late' },
      { kind: 'shift', date: '2026-03-02', shift: 'Late' },
    ],
    [
      { range: 'day', date: '2026-03-02' },
      { kind: 'day', date: '2026-03-02' },
    ],
    [
      { from: '2026-03-02T05:00:00.000Z', to: '2026-03-09T05:00:00.000Z' },
      { kind: 'custom', from: Date.parse('2026-03-02T05:00:00Z'), to: Date.parse('2026-03-09T05:00:00Z') },
    ],
    // Broken or half links fall back to the current shift.
    [{ range: 'shift', date: '2026-03-02' }, { kind: 'current-shift' }],
    [{ range: 'day', date: '02.03.2026' }, { kind: 'current-shift' }],
    [{ from: '2026-03-09T05:00:00Z', to: '2026-03-02T05:00:00Z' }, { kind: 'current-shift' }],
    [{ from: 'yesterday', to: 'today' }, { kind: 'current-shift' }],
    [
      { range: ['day', 'shift'], date: ['2026-03-02'] },
      { kind: 'day', date: '2026-03-02' },
    ],
  ])('%j → %j', (query, selection) => {
    expect(parseRangeQuery(query)).toEqual(selection);
  });

  it.each<RangeSelection>([
    { kind: 'current-shift' },
    { kind: 'shift', date: '2026-03-02', shift: 'Night' },
    { kind: 'day', date: '2026-03-29' },
    { kind: 'custom', from: Date.parse('2026-03-02T05:00:00Z'), to: Date.parse('2026-03-02T06:30:00Z') },
  ])('survives a round trip through the URL: %j', (selection) => {
    expect(parseRangeQuery(rangeToQuery(selection))).toEqual(selection);
  });
});

describe('resolveRange (Europe/Berlin, day from 06:00)', () => {
  it('resolves a shift of a production day, a night shift ending the next morning', () => {
    expect(resolveRange({ kind: 'shift', date: '2026-03-02', shift: 'Night' }, BERLIN, 0)).toEqual({
      from: Date.parse('2026-03-02T21:00:00Z'),
      to: Date.parse('2026-03-03T05:00:00Z'),
      query: { shift: 'Night', date: '2026-03-02' },
      shift: 'Night',
      date: '2026-03-02',
    });
    expect(resolveRange({ kind: 'shift', date: '2026-03-02', shift: 'Noon' }, BERLIN, 0)).toBeNull();
  });

  it('gives the production day over the spring DST change 23 hours', () => {
    // 28 March 06:00 CET to 29 March 06:00 CEST.
    const day = resolveRange({ kind: 'day', date: '2026-03-28' }, BERLIN, 0)!;
    expect(day.query).toEqual({ date: '2026-03-28' });
    expect(day.from).toBe(Date.parse('2026-03-28T05:00:00Z'));
    expect(day.to).toBe(Date.parse('2026-03-29T04:00:00Z'));
    expect((day.to - day.from) / 3_600_000).toBe(23);
  });

  it('takes the shift running now, and the night shift after midnight belongs to the day before', () => {
    const late = resolveRange({ kind: 'current-shift' }, BERLIN, Date.parse('2026-03-02T15:30:00Z'))!;
    expect(late.query).toEqual({ shift: 'Late', date: '2026-03-02' });
    const night = resolveRange({ kind: 'current-shift' }, BERLIN, Date.parse('2026-03-03T02:00:00Z'))!;
    expect(night.query).toEqual({ shift: 'Night', date: '2026-03-02' });
  });

  it('falls back to the production day when no shift covers now', () => {
    const calendar = { ...BERLIN, shifts: [{ name: 'Early', start: '06:00', end: '14:00' }] };
    const evening = resolveRange({ kind: 'current-shift' }, calendar, Date.parse('2026-03-02T19:00:00Z'))!;
    expect(evening.query).toEqual({ date: '2026-03-02' });
    expect(evening.shift).toBeNull();
  });

  it('sends a custom range as ISO instants', () => {
    const from = Date.parse('2026-03-02T05:00:00Z');
    expect(resolveRange({ kind: 'custom', from, to: from + 3_600_000 }, BERLIN, 0)!.query).toEqual({
      from: '2026-03-02T05:00:00.000Z',
      to: '2026-03-02T06:00:00.000Z',
    });
  });

  it('shows an instant on the plant wall clock for datetime-local inputs', () => {
    expect(toPlantLocalInput(Date.parse('2026-07-01T04:30:00Z'), 'Europe/Berlin')).toBe('2026-07-01T06:30');
  });
});
