import { STATION_STATES, type StationState } from '../contracts/station-state.js';

/**
 * Where a state's time goes in the ISO 22400-2 time model (DESIGN.md §5, STANDARDS.md §4):
 * - `production`: running, the actual production time APT;
 * - `loss`: down and changeover, losses inside planned busy time (down splits into micro-stops and
 *   failures by duration, see time-model.ts);
 * - `waiting`: idle, starved, blocked, inside planned busy time but not running;
 * - `planned-downtime`: break and maintenance, excluded from planned busy time;
 * - `data-gap`: offline, excluded from planned busy time and flagged.
 */
export type TimeCategory = 'production' | 'loss' | 'waiting' | 'planned-downtime' | 'data-gap';

/** A state's role in the active period method (STANDARDS.md §5). */
export type BottleneckActivity = 'active' | 'inactive' | 'excluded';

export interface StateCategories {
  time: TimeCategory;
  /** True when the state's time counts towards planned busy time PBT. */
  inPlannedBusyTime: boolean;
  bottleneck: BottleneckActivity;
}

/** The one table of state categories every KPI reads. */
export const STATE_TAXONOMY: Readonly<Record<StationState, Readonly<StateCategories>>> = {
  running: { time: 'production', inPlannedBusyTime: true, bottleneck: 'active' },
  down: { time: 'loss', inPlannedBusyTime: true, bottleneck: 'active' },
  changeover: { time: 'loss', inPlannedBusyTime: true, bottleneck: 'active' },
  maintenance: { time: 'planned-downtime', inPlannedBusyTime: false, bottleneck: 'active' },
  idle: { time: 'waiting', inPlannedBusyTime: true, bottleneck: 'inactive' },
  starved: { time: 'waiting', inPlannedBusyTime: true, bottleneck: 'inactive' },
  blocked: { time: 'waiting', inPlannedBusyTime: true, bottleneck: 'inactive' },
  break: { time: 'planned-downtime', inPlannedBusyTime: false, bottleneck: 'excluded' },
  offline: { time: 'data-gap', inPlannedBusyTime: false, bottleneck: 'excluded' },
};

/** True for the states that make up an active period (running, down, changeover, maintenance). */
export function isActiveState(state: StationState): boolean {
  return STATE_TAXONOMY[state].bottleneck === 'active';
}

/** The states of one time category, in STATION_STATES order. */
export function statesInTimeCategory(category: TimeCategory): StationState[] {
  return STATION_STATES.filter((s) => STATE_TAXONOMY[s].time === category);
}
