import type { Stop } from '@floorboard/shared';

/** Client-side reasons a split is refused; the server answers `SPLIT_OUTSIDE_STOP` for the first one too. */
export type SplitProblem = 'SPLIT_OUTSIDE_STOP' | 'SPLIT_REASON_MISSING';

/** What the split form asks for. */
export interface SplitRequest {
  /** Epoch ms strictly inside the stop. */
  at: number;
  firstReasonKey: string;
  secondReasonKey: string;
}

/** Where a split may go: strictly between the stop's start and its end (or now, while it goes on). */
export function splitBounds(stop: Stop, now: number): { start: number; end: number } {
  return { start: Date.parse(stop.start), end: stop.end === null ? now : Date.parse(stop.end) };
}

/** Why a split at `at` with these two reasons cannot be sent, or null when it can. */
export function validateSplit(
  stop: Stop,
  at: number,
  firstReasonKey: string | null,
  secondReasonKey: string | null,
  now: number,
): SplitProblem | null {
  const { start, end } = splitBounds(stop, now);
  if (!Number.isFinite(at) || !(at > start && at < end)) return 'SPLIT_OUTSIDE_STOP';
  if (!firstReasonKey || !secondReasonKey) return 'SPLIT_REASON_MISSING';
  return null;
}
