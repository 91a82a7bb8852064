import type { StateInterval, StopState } from '@floorboard/shared';

/**
 * One station's closed stops of a live period, kept to be summed again when a coordinator classifies one or the
 * catalogue changes. Parallel arrays (numbers stored unboxed) rather than an object per stop: a station that
 * flaps all shift closes thousands of stops, and this is held for every line until the period ends.
 */
export class ClosedStops {
  private starts: number[] = [];
  private ends: number[] = [];
  private states: StopState[] = [];
  private reasons: (string | null)[] = [];

  constructor(private readonly station: string) {}

  get earliestStart(): number | undefined {
    return this.starts[0];
  }

  add(stop: { state: StopState; reason: string | null; start: number; end: number }): void {
    this.starts.push(stop.start);
    this.ends.push(stop.end);
    this.states.push(stop.state);
    this.reasons.push(stop.reason);
  }

  *[Symbol.iterator](): IterableIterator<StateInterval> {
    for (let i = 0; i < this.starts.length; i++) {
      yield {
        station: this.station,
        state: this.states[i]!,
        reason: this.reasons[i]!,
        start: this.starts[i]!,
        end: this.ends[i]!,
      };
    }
  }
}
