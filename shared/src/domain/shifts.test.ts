import { shiftAt, shiftOn, shiftsOfProductionDay, type ShiftCalendar } from './shifts.js';

const iso = (ms: number) => new Date(ms).toISOString();
const BERLIN = 'Europe/Berlin';
const plant: ShiftCalendar = {
  timezone: BERLIN,
  productionDayStart: '06:00',
  shifts: [
    { name: 'Early', start: '06:00', end: '14:00' },
    { name: 'Late', start: '14:00', end: '22:00' },
    { name: 'Night', start: '22:00', end: '06:00' },
  ],
};

describe('shiftOn', () => {
  it.each([
    // name, production date → start, end (UTC), hours. Berlin is UTC+1 in winter, UTC+2 in summer.
    ['Early', '2026-11-27', '2026-11-27T05:00:00.000Z', '2026-11-27T13:00:00.000Z', 8],
    ['Late', '2026-11-27', '2026-11-27T13:00:00.000Z', '2026-11-27T21:00:00.000Z', 8],
    // crosses midnight: 22:00 on the 27th to 06:00 on the 28th
    ['Night', '2026-11-27', '2026-11-27T21:00:00.000Z', '2026-11-28T05:00:00.000Z', 8],
    // spring forward in the night 28→29 March: 22:00 CET (21:00Z) to 06:00 CEST (04:00Z) is 7 hours
    ['Night', '2026-03-28', '2026-03-28T21:00:00.000Z', '2026-03-29T04:00:00.000Z', 7],
    ['Early', '2026-03-29', '2026-03-29T04:00:00.000Z', '2026-03-29T12:00:00.000Z', 8],
    // fall back in the night 24→25 October: 22:00 CEST (20:00Z) to 06:00 CET (05:00Z) is 9 hours
    ['Night', '2026-10-24', '2026-10-24T20:00:00.000Z', '2026-10-25T05:00:00.000Z', 9],
    ['Early', '2026-10-25', '2026-10-25T05:00:00.000Z', '2026-10-25T13:00:00.000Z', 8],
    ['Night', '2026-10-25', '2026-10-25T21:00:00.000Z', '2026-10-26T05:00:00.000Z', 8],
  ])('%s on %s runs %s..%s (%dh)', (name, date, start, end, hours) => {
    const shift = shiftOn(name, date, plant)!;
    expect([shift.name, shift.date, iso(shift.start), iso(shift.end), shift.hours]).toEqual([
      name,
      date,
      start,
      end,
      hours,
    ]);
  });

  it('is null for an unknown shift name', () => {
    expect(shiftOn('Weekend', '2026-11-27', plant)).toBeNull();
  });

  it('puts a shift starting before the day start into the production day it starts in', () => {
    // Dawn 04:00–08:00 with the day starting 06:00: production day 27 contains 28th 04:00 (03:00Z)
    const cal = { ...plant, shifts: [{ name: 'Dawn', start: '04:00', end: '08:00' }] };
    const dawn = shiftOn('Dawn', '2026-11-27', cal)!;
    expect([iso(dawn.start), iso(dawn.end)]).toEqual(['2026-11-28T03:00:00.000Z', '2026-11-28T07:00:00.000Z']);
  });

  it('moves a start inside the spring-forward gap forward by the gap', () => {
    // 02:30 does not exist on 2026-03-29 in Berlin: it becomes 03:30 CEST (01:30Z); 02:30–10:00 is 6.5 h
    const cal = { ...plant, productionDayStart: '00:00', shifts: [{ name: 'Odd', start: '02:30', end: '10:00' }] };
    const odd = shiftOn('Odd', '2026-03-29', cal)!;
    expect([iso(odd.start), iso(odd.end), odd.hours]).toEqual([
      '2026-03-29T01:30:00.000Z',
      '2026-03-29T08:00:00.000Z',
      6.5,
    ]);
  });
});

describe('shiftsOfProductionDay', () => {
  it('lists the instances sorted by start, whatever the configured order', () => {
    const cal = { ...plant, shifts: [...plant.shifts].reverse() };
    expect(shiftsOfProductionDay('2026-11-27', cal).map((s) => s.name)).toEqual(['Early', 'Late', 'Night']);
    // the 25-hour day 2026-10-24 is fully covered: 8 + 8 + 9
    const hours = shiftsOfProductionDay('2026-10-24', plant).reduce((sum, s) => sum + s.hours, 0);
    expect(hours).toBe(25);
  });
});

describe('shiftAt', () => {
  it.each([
    // instant (UTC) → shift name, production date. Local Berlin time in the comment.
    ['2026-11-27T05:00:00.000Z', 'Early', '2026-11-27'], // 06:00, the first ms of Early
    ['2026-11-27T12:59:59.999Z', 'Early', '2026-11-27'], // 13:59:59.999
    ['2026-11-27T13:00:00.000Z', 'Late', '2026-11-27'], // 14:00
    ['2026-11-27T22:30:00.000Z', 'Night', '2026-11-27'], // 23:30, before midnight
    ['2026-11-28T02:00:00.000Z', 'Night', '2026-11-27'], // 03:00 next calendar day, same Night
    ['2026-11-28T04:59:59.999Z', 'Night', '2026-11-27'], // 05:59:59.999
    ['2026-11-28T05:00:00.000Z', 'Early', '2026-11-28'], // 06:00
    ['2026-03-29T01:30:00.000Z', 'Night', '2026-03-28'], // 03:30 CEST, just after the spring jump
    ['2026-03-29T03:59:59.999Z', 'Night', '2026-03-28'], // 05:59:59.999 CEST, the 7-hour Night's end
    ['2026-10-25T00:30:00.000Z', 'Night', '2026-10-24'], // 02:30 CEST, first pass
    ['2026-10-25T01:30:00.000Z', 'Night', '2026-10-24'], // 02:30 CET, second pass
    ['2026-10-25T04:59:59.999Z', 'Night', '2026-10-24'], // 05:59:59.999 CET, the 9-hour Night's end
  ])('%s is in %s of %s', (at, name, date) => {
    const shift = shiftAt(Date.parse(at), plant);
    expect([shift?.name, shift?.date]).toEqual([name, date]);
  });

  it('is null when no shift covers the instant', () => {
    const twoShifts = { ...plant, shifts: plant.shifts.slice(0, 2) };
    expect(shiftAt(Date.parse('2026-11-27T22:00:00Z'), twoShifts)).toBeNull(); // 23:00
    expect(shiftAt(Date.parse('2026-11-27T21:00:00Z'), twoShifts)).toBeNull(); // 22:00, Late has just ended
    expect(shiftAt(Date.parse('2026-11-27T05:00:00Z'), { ...plant, shifts: [] })).toBeNull();
  });

  it('finds a night shift begun on the previous production day', () => {
    // day starts at midnight: 03:00 on the 28th is in the Night that started 22:00 on the 27th (day 27)
    const midnightDay = { ...plant, productionDayStart: '00:00' };
    const shift = shiftAt(Date.parse('2026-11-28T02:00:00Z'), midnightDay)!;
    expect([shift.name, shift.date, iso(shift.start)]).toEqual(['Night', '2026-11-27', '2026-11-27T21:00:00.000Z']);
  });

  it('prefers the shift that started last when shifts overlap', () => {
    const overlapping = {
      ...plant,
      shifts: [
        { name: 'A', start: '06:00', end: '14:00' },
        { name: 'B', start: '12:00', end: '20:00' },
      ],
    };
    expect(shiftAt(Date.parse('2026-11-27T11:30:00Z'), overlapping)?.name).toBe('B'); // 12:30, both: B began later
    expect(shiftAt(Date.parse('2026-11-27T10:30:00Z'), overlapping)?.name).toBe('A'); // 11:30, only A
  });
});
