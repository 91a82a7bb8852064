import { isStationState, type StationState } from '../contracts/station-state.js';

/**
 * Pure tables from the state codes of other standards to Floorboard states (STANDARDS.md §2, §3).
 * Inputs of the gateway use them; they know nothing of MQTT.
 */

/** A hint for PackML's Suspended family, which is "starved or blocked" depending on the cause. */
export type SuspendedHint = 'starved' | 'blocked';

/**
 * UMH v0 state code → Floorboard state. Sub-codes inherit their family (the code rounded down to
 * 10000s), except 40100 (idle) and the two families that split in the UMH table (140000/150000,
 * 160000/170000). Unknown families give null.
 */
export function umhStateToStation(code: number): StationState | null {
  if (!Number.isInteger(code) || code < 0) return null;
  if (code >= 40100 && code < 40200) return 'idle';
  const family = Math.floor(code / 10_000) * 10_000;
  return UMH_FAMILIES.get(family) ?? null;
}

const UMH_FAMILIES = new Map<number, StationState>([
  [10_000, 'running'],
  [20_000, 'running'],
  [30_000, 'offline'],
  [40_000, 'down'],
  [50_000, 'down'],
  [60_000, 'starved'],
  [70_000, 'blocked'],
  [80_000, 'starved'],
  [90_000, 'starved'],
  [100_000, 'changeover'],
  [110_000, 'changeover'],
  [120_000, 'changeover'],
  [130_000, 'changeover'],
  [140_000, 'down'],
  [150_000, 'break'],
  [160_000, 'break'],
  [170_000, 'idle'],
  [180_000, 'down'],
  [190_000, 'down'],
  [200_000, 'down'],
  [210_000, 'maintenance'],
  [220_000, 'down'],
]);

/** PackML (ISA-TR88.00.02) state numbers. */
export const PACKML_STATES = {
  undefined: 0,
  clearing: 1,
  stopped: 2,
  starting: 3,
  idle: 4,
  suspended: 5,
  execute: 6,
  stopping: 7,
  aborting: 8,
  aborted: 9,
  holding: 10,
  held: 11,
  unholding: 12,
  suspending: 13,
  unsuspending: 14,
  resetting: 15,
  completing: 16,
  complete: 17,
} as const;

const PACKML_FIXED = new Map<number, StationState>([
  [0, 'offline'],
  [1, 'down'],
  [2, 'idle'],
  [3, 'changeover'],
  [4, 'idle'],
  [6, 'running'],
  [7, 'idle'],
  [8, 'down'],
  [9, 'down'],
  [10, 'down'],
  [11, 'down'],
  [12, 'down'],
  [15, 'changeover'],
  [16, 'changeover'],
  [17, 'idle'],
]);
const PACKML_SUSPENDED = new Set([5, 13, 14]);

/**
 * PackML state number → Floorboard state. Suspended, Suspending and Unsuspending are external
 * causes, starved or blocked; which one comes from `hint` (see {@link suspendedHintFromReason}).
 * Without a hint the choice is `starved`: a suspended station most often waits for parts, and a
 * wrong "starved" is the cheaper mistake for the bottleneck analysis (both are inactive states).
 * Stopped (2) is `idle`; the shift calendar, not the code, turns it into `break` outside shifts.
 * Unit mode 2 (Maintenance) overrides the state with `maintenance`.
 */
export function packmlStateToStation(
  state: number,
  options: { hint?: SuspendedHint | null; unitMode?: number | null } = {},
): StationState | null {
  if (options.unitMode === 2) return 'maintenance';
  if (!Number.isInteger(state)) return null;
  if (PACKML_SUSPENDED.has(state)) return options.hint ?? 'starved';
  return PACKML_FIXED.get(state) ?? null;
}

/**
 * Reads starved/blocked out of a stop reason text: "blocked", "downstream full", "outfeed",
 * "discharge", "output full" mean blocked; "starved", "no parts", "upstream empty", "infeed",
 * "material" mean starved. Anything else gives null (the caller's default applies).
 */
export function suspendedHintFromReason(reason: string | null | undefined): SuspendedHint | null {
  if (!reason) return null;
  const r = reason.toLowerCase();
  if (/block|downstream|outfeed|outlet|discharge|output full|no space|full/.test(r)) return 'blocked';
  if (/starv|upstream|infeed|inlet|no parts|no material|material|empty|waiting for parts/.test(r)) return 'starved';
  return null;
}

/** The code tables a numeric state can be read with; `custom` is a table given in the gateway config. */
export const STATE_CODE_TABLES = ['floorboard', 'packml', 'umh', 'custom'] as const;
export type StateCodeTable = (typeof STATE_CODE_TABLES)[number];

/**
 * Maps a raw state value (name or number) with the given table. `floorboard` accepts only state
 * names; `packml`/`umh` accept numbers (and numeric strings); `custom` looks the value up in
 * `custom` (keys are the value as a string). A string that is a Floorboard state name is accepted
 * by every table.
 */
export function mapStateCode(
  value: string | number,
  table: StateCodeTable,
  options: { custom?: Readonly<Record<string, StationState>>; reason?: string | null; unitMode?: number | null } = {},
): StationState | null {
  if (isStationState(value)) return value;
  if (table === 'custom') return options.custom?.[String(value)] ?? null;
  if (table === 'floorboard') return null;
  const n = typeof value === 'number' ? value : /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n)) return null;
  if (table === 'umh') return umhStateToStation(n);
  return packmlStateToStation(n, { hint: suspendedHintFromReason(options.reason), unitMode: options.unitMode });
}
