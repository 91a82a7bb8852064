/** Min-heap of timers ordered by time, then by insertion, so simultaneous timers fire deterministically. */
export class TimerHeap<T> {
  private readonly items: { at: number; order: number; value: T }[] = [];
  private counter = 0;

  get size(): number {
    return this.items.length;
  }

  peekTime(): number | null {
    return this.items[0]?.at ?? null;
  }

  push(at: number, value: T): void {
    this.items.push({ at, order: this.counter++, value });
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { at: number; value: T } | null {
    const top = this.items[0];
    if (!top) return null;
    const last = this.items.pop() as (typeof this.items)[number];
    if (this.items.length > 0) {
      this.items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < this.items.length && this.less(l, smallest)) smallest = l;
        if (r < this.items.length && this.less(r, smallest)) smallest = r;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return { at: top.at, value: top.value };
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a] as (typeof this.items)[number];
    const y = this.items[b] as (typeof this.items)[number];
    return x.at < y.at || (x.at === y.at && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    const tmp = this.items[a] as (typeof this.items)[number];
    this.items[a] = this.items[b] as (typeof this.items)[number];
    this.items[b] = tmp;
  }
}
