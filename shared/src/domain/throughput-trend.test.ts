import { defaultBucketMinutes, throughputBuckets } from './throughput-trend.js';

const MIN = 60_000;
const H = 60 * MIN;

describe('defaultBucketMinutes', () => {
  it.each([
    [8 * H, 5], // 96 buckets
    [17 * H, 15], // 5 min would give 204
    [24 * H, 15],
    [25 * H, 15],
    [7 * 24 * H, 60], // 168
    [31 * 24 * H, 240], // 186
    [400 * 24 * H, 1440],
  ])('%d ms → %d min', (span, minutes) => expect(defaultBucketMinutes(span)).toBe(minutes));
});

describe('throughputBuckets', () => {
  it('sums minutes into buckets from the window start, zeros where nothing was counted, rate per hour', () => {
    const from = Date.parse('2026-02-10T05:00:00Z');
    const buckets = throughputBuckets({
      from,
      to: from + 50 * MIN,
      bucketMinutes: 15,
      minutes: [
        { minute: from - MIN, good: 99, scrap: 0 }, // before the window
        { minute: from, good: 10, scrap: 1 },
        { minute: from + 14 * MIN, good: 5, scrap: 0 },
        { minute: from + 15 * MIN, good: 3, scrap: 2 },
        { minute: from + 49 * MIN, good: 4, scrap: 0 }, // in the cut last bucket (45–50)
        { minute: from + 50 * MIN, good: 99, scrap: 0 }, // at the end: outside
      ],
    });
    expect(buckets).toEqual([
      { start: from, end: from + 15 * MIN, good: 15, scrap: 1, unitsPerHour: 60 },
      { start: from + 15 * MIN, end: from + 30 * MIN, good: 3, scrap: 2, unitsPerHour: 12 },
      { start: from + 30 * MIN, end: from + 45 * MIN, good: 0, scrap: 0, unitsPerHour: 0 },
      { start: from + 45 * MIN, end: from + 50 * MIN, good: 4, scrap: 0, unitsPerHour: 48 },
    ]);
  });

  it('gives no buckets for an empty window', () => {
    expect(throughputBuckets({ from: 10, to: 10, bucketMinutes: 5, minutes: [] })).toEqual([]);
  });
});
