/** An inclusive range of sequence numbers. */
export interface SeqRange {
  from: number;
  to: number;
}

/**
 * Which sequence numbers the server has acknowledged (or the bounds dropped): everything up to `upTo`, plus
 * sorted, disjoint ranges above it. The ranges come from the live lane, which is acknowledged ahead of an
 * older backlog; they melt into `upTo` as the backlog drains. Kept in `ack.json` with the mark.
 */
export class AckedSeqs {
  private constructor(
    private mark: number,
    private spans: SeqRange[],
  ) {}

  static from(upTo: number, ranges: readonly SeqRange[] = []): AckedSeqs {
    const acked = new AckedSeqs(upTo, []);
    for (const r of ranges) acked.add(r.from, r.to);
    return acked;
  }

  get upTo(): number {
    return this.mark;
  }

  get ranges(): readonly SeqRange[] {
    return this.spans;
  }

  has(seq: number): boolean {
    if (seq <= this.mark) return true;
    // Few ranges (one per live-lane cut still above the mark): a linear scan is enough.
    for (const r of this.spans) {
      if (seq < r.from) return false;
      if (seq <= r.to) return true;
    }
    return false;
  }

  /** Marks `from..to` acknowledged. */
  add(from: number, to: number): void {
    if (to < from || to <= this.mark) return;
    if (from <= this.mark + 1) {
      this.mark = to;
    } else {
      const merged: SeqRange[] = [];
      let next = { from, to };
      for (const r of this.spans) {
        if (r.to + 1 < next.from) merged.push(r);
        else if (next.to + 1 < r.from) {
          merged.push(next);
          next = r;
        } else next = { from: Math.min(r.from, next.from), to: Math.max(r.to, next.to) };
      }
      merged.push(next);
      this.spans = merged;
    }
    this.absorb();
  }

  /** Marks everything up to `upTo` acknowledged. */
  advanceTo(upTo: number): void {
    if (upTo <= this.mark) return;
    this.mark = upTo;
    this.absorb();
  }

  /** Ranges reaching down to the mark become part of it. */
  private absorb(): void {
    while (this.spans.length > 0 && (this.spans[0] as SeqRange).from <= this.mark + 1) {
      this.mark = Math.max(this.mark, (this.spans.shift() as SeqRange).to);
    }
  }
}
