import { eventTimeSchema } from './timestamp.js';

describe('eventTimeSchema', () => {
  it.each([
    [1_795_800_000_000, 1_795_800_000_000],
    ['2026-11-28T08:00:00Z', Date.parse('2026-11-28T08:00:00Z')],
    ['2026-11-28T09:00:00.250+01:00', Date.parse('2026-11-28T08:00:00.250Z')],
    ['2026-11-28T09:00+0100', Date.parse('2026-11-28T08:00:00Z')],
  ])('accepts %j as %d', (input, expected) => {
    expect(eventTimeSchema.parse(input)).toBe(expected);
  });

  it.each([
    [1_795_800_000, 'seconds instead of milliseconds'],
    [1.5e12 + 0.5, 'fractional ms'],
    ['2026-11-28T08:00:00', 'no offset: ambiguous local time'],
    ['2025-02-30T08:00:00Z', 'impossible date'],
    ['2026-11-28T25:00:00Z', 'impossible hour'],
    ['yesterday', 'not a timestamp'],
    [null, 'null'],
    [Date.UTC(2200, 0, 1), 'far future'],
  ])('rejects %j (%s)', (input, _why) => {
    expect(eventTimeSchema.safeParse(input).success).toBe(false);
  });
});
