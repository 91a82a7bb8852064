import { RecentlyUnrollable } from './recently-unrollable.js';

describe('RecentlyUnrollable', () => {
  it('holds a bucket for the retry time, under the epoch it was found in', () => {
    const memo = new RecentlyUnrollable(1000);
    memo.remember('l1', 900_000, 3, 10_000);
    expect(memo.recent('l1', 900_000, 3, 10_500)).toBe(true);
    expect(memo.recent('l2', 900_000, 3, 10_500)).toBe(false);
    expect(memo.recent('l1', 0, 3, 10_500)).toBe(false);
    expect(memo.recent('l1', 900_000, 3, 11_000)).toBe(false); // retry time over
  });

  it('forgets a bucket once the history changed (another epoch)', () => {
    const memo = new RecentlyUnrollable(1000);
    memo.remember('l1', 900_000, 3, 10_000);
    expect(memo.recent('l1', 900_000, 4, 10_100)).toBe(false);
    expect(memo.recent('l1', 900_000, 3, 10_100)).toBe(false); // and does not come back
  });

  it('stays bounded', () => {
    const memo = new RecentlyUnrollable(1000, 2);
    memo.remember('l1', 1, 0, 0);
    memo.remember('l1', 2, 0, 0);
    memo.remember('l1', 3, 0, 0);
    expect([1, 2, 3].map((b) => memo.recent('l1', b, 0, 1))).toEqual([false, false, true]);
  });
});
