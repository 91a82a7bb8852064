import { describe, expect, it } from 'vitest';
import { UpdateBatcher, type UpdateBatcherClock } from '../../src/realtime/update-batcher';

/** Animation frames and timers the test runs by hand, on a clock it moves by hand: nothing here waits. */
class ManualClock implements UpdateBatcherClock {
  at = 0;
  /** Timers are set but never fire. */
  timersOff = false;
  private frames = new Map<number, () => void>();
  private timers = new Map<number, { callback: () => void; due: number }>();
  private nextId = 1;

  requestFrame = (callback: () => void) => {
    const id = this.nextId++;
    this.frames.set(id, callback);
    return id;
  };
  cancelFrame = (handle: unknown) => void this.frames.delete(handle as number);
  setTimer = (callback: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.set(id, { callback, due: this.at + ms });
    return id;
  };
  clearTimer = (handle: unknown) => void this.timers.delete(handle as number);
  now = () => this.at;

  /** Moves the clock by `ms` (firing the timers due meanwhile), then runs the frames requested so far. */
  frame(ms = 16): void {
    this.advance(ms);
    const frames = [...this.frames.values()];
    this.frames.clear();
    frames.forEach((callback) => callback());
  }

  /** Moves the clock without any frame (a hidden tab), firing the timers due meanwhile in order. */
  advance(ms: number): void {
    const until = this.at + ms;
    // A timer that keeps setting itself again at once would never let the clock move on.
    for (let fired = 0; !this.timersOff; fired++) {
      if (fired > 1000) throw new Error('timers keep firing without the clock moving on');
      const next = [...this.timers].sort((a, b) => a[1].due - b[1].due)[0];
      if (!next || next[1].due > until) break;
      this.timers.delete(next[0]);
      this.at = Math.max(this.at, next[1].due);
      next[1].callback();
    }
    this.at = until;
  }

  get framesRequested(): number {
    return this.frames.size;
  }
}

function setUp(perFrame: number, maxDelayMs = 250) {
  const clock = new ManualClock();
  const batcher = new UpdateBatcher({ perFrame, maxDelayMs, clock });
  const ran: string[] = [];
  const push = (...names: string[]) => names.forEach((name) => batcher.push(() => ran.push(name)));
  return { clock, batcher, ran, push };
}

describe('UpdateBatcher', () => {
  it('runs what waits in the next animation frame, in arrival order', () => {
    const { clock, batcher, ran, push } = setUp(10);
    push('a', 'b', 'c');
    expect(ran).toEqual([]);
    expect(clock.framesRequested).toBe(1);

    clock.frame();
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(batcher.pending).toBe(0);
    // Nothing waits: no frame is asked for.
    expect(clock.framesRequested).toBe(0);
  });

  it('runs at most its share per frame and carries the rest, in order, to the frames after', () => {
    const { clock, batcher, ran, push } = setUp(2);
    push('a', 'b', 'c', 'd', 'e');

    clock.frame();
    expect(ran).toEqual(['a', 'b']);
    push('f');
    clock.frame();
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
    clock.frame();
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(batcher.pending).toBe(0);
  });

  it('runs every piece that has waited the longest delay in the next frame, beyond the frame share', () => {
    const { clock, ran, push } = setUp(1, 100);
    // The timer never comes (it would run due pieces by itself): only the frames' share and the delay count.
    clock.timersOff = true;
    push('a', 'b', 'c');
    // A frame that comes late (a busy page) runs all three, which are due.
    clock.frame(100);
    expect(ran).toEqual(['a', 'b', 'c']);

    push('d', 'e', 'f');
    clock.frame(16);
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
    push('g');
    clock.frame(90);
    // 'e' and 'f' have waited 106 ms, 'g' only 90 ms: it waits for its turn.
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    clock.frame();
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('runs due pieces on a timer when no frames come (a hidden tab), and only those', () => {
    const { clock, batcher, ran, push } = setUp(10, 250);
    push('a');
    clock.advance(200);
    push('b');
    clock.advance(50);
    expect(ran).toEqual(['a']);
    clock.advance(199);
    expect(ran).toEqual(['a']);
    clock.advance(1);
    expect(ran).toEqual(['a', 'b']);
    expect(batcher.pending).toBe(0);
  });

  it('runs everything waiting on flush, before what comes after it, and no frame runs it again', () => {
    const { clock, batcher, ran, push } = setUp(1);
    push('a', 'b', 'c');
    clock.frame();
    batcher.flush();
    ran.push('disconnect');
    expect(ran).toEqual(['a', 'b', 'c', 'disconnect']);

    clock.frame();
    clock.advance(1000);
    expect(ran).toEqual(['a', 'b', 'c', 'disconnect']);
  });

  it('drops what waits on clear', () => {
    const { clock, batcher, ran, push } = setUp(10);
    push('a');
    batcher.clear();
    clock.frame();
    clock.advance(1000);
    expect(ran).toEqual([]);
    expect(batcher.pending).toBe(0);
  });

  it('runs every piece at once with a delay of 0', () => {
    const { clock, ran, push } = setUp(10, 0);
    push('a');
    expect(ran).toEqual(['a']);
    expect(clock.framesRequested).toBe(0);
  });

  it('keeps order when a piece pushes another while running', () => {
    const { clock, batcher, ran } = setUp(10);
    batcher.push(() => {
      ran.push('a');
      batcher.push(() => ran.push('c'));
    });
    batcher.push(() => ran.push('b'));
    clock.frame();
    expect(ran).toEqual(['a', 'b']);
    clock.frame();
    expect(ran).toEqual(['a', 'b', 'c']);
  });
});
