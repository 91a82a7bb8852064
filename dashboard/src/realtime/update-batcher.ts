/**
 * Holds work back and runs all of it together, in arrival order, `windowMs` after the first piece came in.
 * A socket delivers each live payload as its own task, and Vue re-renders after every task that changed
 * something: a busy plant's hundreds of payloads a second would mean hundreds of re-renders. Batched, the
 * screen re-renders at most once per window. A window of 0 runs every piece at once.
 */
export class UpdateBatcher {
  private queue: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly windowMs: number) {}

  push(work: () => void): void {
    if (this.windowMs <= 0) {
      work();
      return;
    }
    this.queue.push(work);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** Runs everything waiting now (before something that must come after it, like a lost connection). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const work = this.queue;
    this.queue = [];
    for (const piece of work) piece();
  }

  /** Drops everything waiting (the connection is closed for good). */
  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }
}
