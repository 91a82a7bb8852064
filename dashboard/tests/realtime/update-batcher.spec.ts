import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UpdateBatcher } from '../../src/realtime/update-batcher';

describe('UpdateBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs everything pushed within the window together, in arrival order, once the window is over', () => {
    const batcher = new UpdateBatcher(100);
    const ran: string[] = [];
    batcher.push(() => ran.push('a'));
    vi.advanceTimersByTime(60);
    batcher.push(() => ran.push('b'));
    expect(ran).toEqual([]);

    vi.advanceTimersByTime(40);
    expect(ran).toEqual(['a', 'b']);

    // The next piece opens a new window.
    batcher.push(() => ran.push('c'));
    vi.advanceTimersByTime(99);
    expect(ran).toEqual(['a', 'b']);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('runs what waits at once on flush, and drops it on clear', () => {
    const batcher = new UpdateBatcher(100);
    const ran: string[] = [];
    batcher.push(() => ran.push('a'));
    batcher.flush();
    expect(ran).toEqual(['a']);

    batcher.push(() => ran.push('b'));
    batcher.clear();
    vi.advanceTimersByTime(1000);
    expect(ran).toEqual(['a']);
  });

  it('runs every piece at once with a window of 0', () => {
    const batcher = new UpdateBatcher(0);
    const ran: string[] = [];
    batcher.push(() => ran.push('a'));
    expect(ran).toEqual(['a']);
  });
});
