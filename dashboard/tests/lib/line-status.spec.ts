import { describe, expect, it } from 'vitest';
import type { LiveBottleneck, StationState } from '@floorboard/shared';
import { bottleneckMarks, shiftLeader, targetStatus, worstState } from '../../src/lib/line-status';

const states = (...list: StationState[]) => list.map((state) => ({ state }));

function bottleneck(overrides: Partial<LiveBottleneck> = {}): LiveBottleneck {
  return {
    station: null,
    kind: 'momentary',
    tied: [],
    activeSince: null,
    period: { station: null, shares: [] },
    ...overrides,
  };
}

describe('worst station state', () => {
  it.each([
    [states('running', 'down', 'offline'), 'down'],
    [states('running', 'offline', 'starved'), 'offline'],
    [states('blocked', 'starved'), 'starved'],
    [states('running', 'break'), 'break'],
    [states('running'), 'running'],
    [[], null],
  ])('%j → %s', (stations, expected) => {
    expect(worstState(stations)).toBe(expected);
  });
});

describe('bottleneck marks', () => {
  it('marks the momentary bottleneck and each station tied with it', () => {
    const marks = bottleneckMarks(bottleneck({ station: 'weld', tied: ['weld', 'paint'] }));
    expect([...marks]).toEqual([
      ['weld', 'momentary'],
      ['paint', 'tied'],
    ]);
  });

  it('marks nothing when no station is active', () => {
    expect(bottleneckMarks(bottleneck()).size).toBe(0);
    expect(bottleneckMarks(null).size).toBe(0);
  });

  it("names the period's leader with its sole share", () => {
    const period = {
      station: 'paint',
      shares: [
        { station: 'weld', sole: 0.2, shifting: 0.1 },
        { station: 'paint', sole: 0.45, shifting: 0.05 },
      ],
    };
    expect(shiftLeader(bottleneck({ period }))).toEqual({ station: 'paint', sole: 0.45, shifting: 0.05 });
    expect(shiftLeader(bottleneck())).toBeNull();
  });
});

describe('output against target', () => {
  it.each([
    [90, 90, 'on'],
    [81, 90, 'near'],
    [80.9, 90, 'below'],
    [0, 90, 'below'],
    [null, 90, null],
    [50, 0, null],
  ] as const)('%s of %s → %s', (actual, target, expected) => {
    expect(targetStatus(actual, target)).toBe(expected);
  });
});
