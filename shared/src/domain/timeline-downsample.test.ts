import type { StationState } from '../contracts/station-state.js';
import { downsampleIntervals, type DrawnInterval } from './timeline-downsample.js';

const S = 1000;
const iv = (state: StationState, start: number, end: number, reason: string | null = null): DrawnInterval => ({
  state,
  reason,
  start: start * S,
  end: end * S,
});

/** Time per state over a list of intervals, in seconds. */
function timePerState(list: readonly DrawnInterval[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of list) out[i.state] = (out[i.state] ?? 0) + (i.end - i.start) / S;
  return out;
}

describe('downsampleIntervals', () => {
  it('keeps intervals of at least one pixel exactly, joining touching ones of the same state', () => {
    const input = [
      iv('running', 0, 100, 'x'),
      iv('running', 100, 200),
      iv('down', 200, 260, 'jam'),
      iv('idle', 300, 400),
    ];
    expect(downsampleIntervals(input, 60 * S)).toEqual([
      { state: 'running', reason: 'x', start: 0, end: 200 * S, merged: 2 },
      { state: 'down', reason: 'jam', start: 200 * S, end: 260 * S, merged: 1 },
      { state: 'idle', reason: null, start: 300 * S, end: 400 * S, merged: 1 },
    ]);
  });

  it('draws a run of short intervals as groups of at least one pixel in their dominant state', () => {
    // 10 s running, 20 s down, repeated: every 60 s group holds 20 s running and 40 s down.
    const input: DrawnInterval[] = [];
    for (let t = 0; t < 600; t += 30) input.push(iv('running', t, t + 10), iv('down', t + 10, t + 30, 'jam'));
    const out = downsampleIntervals(input, 60 * S);
    // All groups are down, so they join into one interval covering the whole run.
    expect(out).toEqual([{ state: 'down', reason: null, start: 0, end: 600 * S, merged: 40 }]);
  });

  it('lets the state with the most time win, the first seen on a tie', () => {
    const input = [iv('starved', 0, 20), iv('running', 20, 40), iv('starved', 40, 50), iv('running', 50, 60)];
    expect(downsampleIntervals(input, 60 * S)).toEqual([
      { state: 'starved', reason: null, start: 0, end: 60 * S, merged: 4 },
    ]);
    const running = [iv('running', 0, 20), iv('blocked', 20, 45), iv('running', 45, 60)];
    expect(downsampleIntervals(running, 60 * S)[0]!.state).toBe('running');
  });

  it('never bridges a gap without data, and a long interval ends a group', () => {
    const input = [
      iv('running', 0, 10),
      iv('down', 10, 20),
      iv('down', 50, 55),
      iv('idle', 55, 58),
      iv('running', 58, 300),
    ];
    expect(downsampleIntervals(input, 60 * S)).toEqual([
      { state: 'running', reason: null, start: 0, end: 20 * S, merged: 2 },
      { state: 'down', reason: null, start: 50 * S, end: 58 * S, merged: 2 },
      { state: 'running', reason: null, start: 58 * S, end: 300 * S, merged: 1 },
    ]);
  });

  it('shrinks a week of 30 s changes to about one interval per pixel and keeps the time per state close', () => {
    const week = 7 * 86_400;
    const states: StationState[] = ['running', 'running', 'starved', 'running', 'blocked', 'down'];
    const input: DrawnInterval[] = [];
    let k = 0;
    for (let t = 0; t < week; t += 30) input.push(iv(states[k++ % states.length]!, t, t + 30));
    const pixels = 1500;
    const out = downsampleIntervals(input, (week * S) / pixels);
    expect(input.length).toBe(20_160);
    expect(out.length).toBeLessThanOrEqual(pixels);
    expect(out[0]!.start).toBe(0);
    expect(out[out.length - 1]!.end).toBe(week * S);
    expect(out.reduce((n, i) => n + i.merged, 0)).toBe(input.length);
    // Every group is mostly running here, so the short states vanish; nothing is lost from the covered span.
    expect(Object.values(timePerState(out)).reduce((a, b) => a + b, 0)).toBe(week);
  });

  it('ignores empty intervals', () => {
    expect(downsampleIntervals([iv('running', 5, 5)], 1000)).toEqual([]);
  });
});

describe('downsampleIntervals on intervals downsampled before', () => {
  it('adds up what each interval already stands for', () => {
    const once = downsampleIntervals(
      [iv('running', 0, 15), iv('down', 15, 20), iv('down', 20, 35), iv('idle', 35, 40)],
      20 * S,
    );
    expect(once.map((i) => i.merged)).toEqual([2, 2]);
    expect(downsampleIntervals(once, 60 * S)).toEqual([
      { state: 'running', reason: null, start: 0, end: 40 * S, merged: 4 },
    ]);
  });
});
