import { describe, expect, it } from 'vitest';
import { splitBounds, validateSplit } from '../../src/lib/stop-split';
import { T0 } from '../support/fixtures';
import { stop } from '../support/stops-fixtures';

const at = (offsetS: number) => T0 + offsetS * 1000;
const NOW = at(600);

describe('validateSplit', () => {
  const ended = stop('press', 60, 180);
  const ongoing = stop('weld', 300, null);

  it.each([
    ['inside an ended stop', ended, at(120), 'jam', 'no-material', null],
    ['one second after the start', ended, at(61), 'jam', 'no-material', null],
    ['one second before the end', ended, at(179), 'jam', 'jam', null],
    ['exactly at the start', ended, at(60), 'jam', 'no-material', 'SPLIT_OUTSIDE_STOP'],
    ['exactly at the end', ended, at(180), 'jam', 'no-material', 'SPLIT_OUTSIDE_STOP'],
    ['before the stop', ended, at(10), 'jam', 'no-material', 'SPLIT_OUTSIDE_STOP'],
    ['after the stop', ended, at(400), 'jam', 'no-material', 'SPLIT_OUTSIDE_STOP'],
    ['not a time', ended, Number.NaN, 'jam', 'no-material', 'SPLIT_OUTSIDE_STOP'],
    ['no first reason', ended, at(120), null, 'no-material', 'SPLIT_REASON_MISSING'],
    ['no second reason', ended, at(120), 'jam', null, 'SPLIT_REASON_MISSING'],
    ['inside an ongoing stop (before now)', ongoing, at(599), 'jam', 'no-material', null],
    ['at now of an ongoing stop', ongoing, NOW, 'jam', 'no-material', 'SPLIT_OUTSIDE_STOP'],
    ['after now of an ongoing stop', ongoing, at(700), 'jam', 'no-material', 'SPLIT_OUTSIDE_STOP'],
  ])('%s', (_name, s, splitAt, first, second, expected) => {
    expect(validateSplit(s, splitAt, first, second, NOW)).toBe(expected);
  });

  it('bounds an ongoing stop by now', () => {
    expect(splitBounds(ongoing, NOW)).toEqual({ start: at(300), end: NOW });
    expect(splitBounds(ended, NOW)).toEqual({ start: at(60), end: at(180) });
  });
});
