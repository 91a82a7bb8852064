import { describe, expect, it } from '@jest/globals';
import { createCumulativeCounters } from './counters.js';

describe('cumulative counters', () => {
  it('sets the baseline on the first value, then yields increments', () => {
    const c = createCumulativeCounters();
    expect(c.next('a', 100)).toBeNull();
    expect(c.next('a', 103)).toBe(3);
    expect(c.next('a', 103)).toBe(0);
    expect(c.next('b', 7)).toBeNull();
  });

  it('treats a drop as a reset: the new value counts since the reset', () => {
    const c = createCumulativeCounters();
    c.next('a', 500);
    expect(c.next('a', 4)).toBe(4);
    expect(c.next('a', 6)).toBe(2);
  });

  it('treats a drop across the top of a counter of known width as a rollover', () => {
    const c = createCumulativeCounters();
    c.next('a', 65_530, 65_535);
    expect(c.next('a', 3, 65_535)).toBe(9);
    c.next('b', 1000, 65_535);
    expect(c.next('b', 10, 65_535)).toBe(10);
  });

  it('starts again after forget', () => {
    const c = createCumulativeCounters();
    c.next('a', 5);
    c.forget('a');
    expect(c.next('a', 9)).toBeNull();
  });
});
