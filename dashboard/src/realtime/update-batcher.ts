/** How the batcher waits: animation frames and a timer, both replaceable in tests. */
export interface UpdateBatcherClock {
  requestFrame: (callback: () => void) => unknown;
  cancelFrame: (handle: unknown) => void;
  setTimer: (callback: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  now: () => number;
}

export interface UpdateBatcherOptions {
  /** Pieces run in one animation frame (more when they are due). */
  perFrame: number;
  /** No piece waits longer than this, frames or not. 0: every piece runs at once. */
  maxDelayMs: number;
  clock?: Partial<UpdateBatcherClock>;
}

/** Animation frames where there are any; otherwise (a test environment) a timer at 60 Hz. */
function defaultClock(): UpdateBatcherClock {
  const frames = typeof requestAnimationFrame === 'function';
  return {
    requestFrame: frames
      ? (callback) => requestAnimationFrame(() => callback())
      : (callback) => setTimeout(callback, 16),
    cancelFrame: frames
      ? (handle) => cancelAnimationFrame(handle as number)
      : (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
  };
}

/**
 * Holds work back and runs it in arrival order, at most `perFrame` pieces per animation frame, the rest in the
 * frames after. A socket delivers each live payload as its own task, and Vue re-renders after every task that
 * changed something; the server sends a plant's payloads in bursts (some 30 every tenth of a second on a busy
 * wall), and one frame that restyles, lays out and paints all of them is a long task. Spread over a few frames
 * each one stays short, and a frame's work runs just before its rendering, so nothing waits longer than needed.
 *
 * A piece never waits longer than `maxDelayMs`: a frame runs every piece that is due, beyond its share, and a
 * timer runs them when there are no frames (a hidden tab).
 */
export class UpdateBatcher {
  private queue: { work: () => void; at: number }[] = [];
  private frame: unknown = null;
  private timer: unknown = null;
  private readonly clock: UpdateBatcherClock;
  private readonly perFrame: number;
  private readonly maxDelayMs: number;

  constructor(options: UpdateBatcherOptions) {
    this.perFrame = Math.max(1, options.perFrame);
    this.maxDelayMs = options.maxDelayMs;
    this.clock = { ...defaultClock(), ...options.clock };
  }

  push(work: () => void): void {
    if (this.maxDelayMs <= 0) {
      work();
      return;
    }
    this.queue.push({ work, at: this.clock.now() });
    // A newer piece falls due after the oldest: the timer already set for that one stays.
    if (this.frame === null || this.timer === null) this.schedule();
  }

  /** Runs everything waiting now (before something that must come after it, like a lost connection). */
  flush(): void {
    this.cancel();
    this.run(this.queue.length);
  }

  /** Drops everything waiting (the connection is closed for good). */
  clear(): void {
    this.cancel();
    this.queue = [];
  }

  /** How many pieces are waiting. */
  get pending(): number {
    return this.queue.length;
  }

  private onFrame(): void {
    this.frame = null;
    this.run(Math.max(this.perFrame, this.dueCount()));
    this.schedule();
  }

  private onTimer(): void {
    this.timer = null;
    this.run(this.dueCount());
    this.schedule();
  }

  /** Pieces at the head of the queue that have waited `maxDelayMs` or more. */
  private dueCount(): number {
    const limit = this.clock.now() - this.maxDelayMs;
    let count = 0;
    while (count < this.queue.length && this.queue[count].at <= limit) count += 1;
    return count;
  }

  /** Runs the first `count` pieces. A piece may push more; those wait for their turn. */
  private run(count: number): void {
    const work = this.queue.splice(0, count);
    for (const piece of work) piece.work();
  }

  /** A frame while anything waits, and a timer for when the oldest piece falls due. */
  private schedule(): void {
    const oldest = this.queue[0];
    if (!oldest) {
      this.cancel();
      return;
    }
    this.frame ??= this.clock.requestFrame(() => this.onFrame());
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = this.clock.setTimer(() => this.onTimer(), Math.max(0, oldest.at + this.maxDelayMs - this.clock.now()));
  }

  private cancel(): void {
    if (this.frame !== null) this.clock.cancelFrame(this.frame);
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.frame = null;
    this.timer = null;
  }
}
