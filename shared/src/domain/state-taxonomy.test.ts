import { STATION_STATES, type StationState } from '../contracts/station-state.js';
import { isActiveState, STATE_TAXONOMY, statesInTimeCategory } from './state-taxonomy.js';

describe('STATE_TAXONOMY', () => {
  it.each<[StationState, string, boolean, string]>([
    // state, time category, inside PBT, bottleneck activity (DESIGN.md §5, STANDARDS.md §5)
    ['running', 'production', true, 'active'],
    ['down', 'loss', true, 'active'],
    ['changeover', 'loss', true, 'active'],
    ['maintenance', 'planned-downtime', false, 'active'],
    ['idle', 'waiting', true, 'inactive'],
    ['starved', 'waiting', true, 'inactive'],
    ['blocked', 'waiting', true, 'inactive'],
    ['break', 'planned-downtime', false, 'excluded'],
    ['offline', 'data-gap', false, 'excluded'],
  ])('%s: time %s, in PBT %s, bottleneck %s', (state, time, inPbt, activity) => {
    expect(STATE_TAXONOMY[state]).toEqual({ time, inPlannedBusyTime: inPbt, bottleneck: activity });
    expect(isActiveState(state)).toBe(activity === 'active');
  });

  it('covers every station state', () => {
    expect(Object.keys(STATE_TAXONOMY).sort()).toEqual([...STATION_STATES].sort());
  });

  it('lists the states of a time category', () => {
    expect(statesInTimeCategory('waiting')).toEqual(['idle', 'starved', 'blocked']);
    expect(statesInTimeCategory('planned-downtime')).toEqual(['maintenance', 'break']);
  });
});
