import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration } from '../../src/lib/format';

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
