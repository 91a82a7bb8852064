import { zoneOffsetMs } from '@floorboard/shared';
import { formatDayMonth, formatTime, plantTimezone } from '../../lib/format';

/*
 * Ticks and labels of a time axis on the plant's wall clock. ECharts can only place time ticks at the browser's
 * (or UTC's) round hours and midnights, so a coordinator in another zone — or a plant half an hour off UTC —
 * would see ticks at odd plant times and dates of the wrong day. These ticks fall on round plant-local times
 * (a plant midnight shows the plant date), and both readings of a repeated hour get their own tick.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A label's room on the axis: `02:00 GMT+2` still fits; fewer ticks than this would crowd. */
const MIN_TICK_SPACING_PX = 90;

/** Tick steps on the wall clock; each divides a day or is whole days. */
const STEPS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

/** Weekly ticks fall on Mondays (1970-01-05 was one); every other step counts from a midnight. */
const stepOrigin = (step: number) => (step === 7 * DAY ? 4 * DAY : 0);

/** How often the zone's offset is sampled to find every offset in force in a window (none lasts less). */
const OFFSET_SAMPLE_MS = 6 * HOUR;

/**
 * The instants in [from, to] whose wall-clock time in `timeZone` is a multiple of a round step (a whole hour,
 * 15 minutes, a midnight, …), the step chosen so that a plot `plotWidth` pixels wide gets a tick every 90 px
 * or more. Times the clocks skip get no tick; a repeated hour gets its ticks twice.
 */
export function plantTimeTicks(from: number, to: number, plotWidth: number, timeZone: string): number[] {
  if (!(to > from)) return [];
  const most = Math.max(2, Math.floor(plotWidth / MIN_TICK_SPACING_PX));
  const step = STEPS.find((s) => (to - from) / s <= most) ?? STEPS[STEPS.length - 1]!;
  const origin = stepOrigin(step);
  const offsets = new Set<number>([zoneOffsetMs(to, timeZone)]);
  for (let at = from; at < to; at += OFFSET_SAMPLE_MS) offsets.add(zoneOffsetMs(at, timeZone));
  const ticks: number[] = [];
  for (const offset of offsets) {
    // Round wall times read with this offset; kept where the zone really has this offset.
    let wall = origin + Math.ceil((from + offset - origin) / step) * step;
    for (; wall - offset <= to; wall += step) {
      const instant = wall - offset;
      if (offsets.size === 1 || zoneOffsetMs(instant, timeZone) === offset) ticks.push(instant);
    }
  }
  return ticks.sort((a, b) => a - b);
}

/** A tick's label: the plant date at a plant midnight (`Oct 25` / `25. Okt.`), else the plant time. */
export function plantTimeLabel(value: number): string {
  const wall = value + zoneOffsetMs(value, plantTimezone());
  return wall % DAY === 0 ? formatDayMonth(value) : formatTime(value);
}

/**
 * The tick and label options of a time axis over [from, to] on the plant's wall clock, to spread into an
 * `xAxis`. Labels are made here, so an option getter calling this re-runs when the language or the plant's
 * zone changes. The tooltip formats its own times (`lib/format.ts`, plant-local as well).
 */
export function plantTimeAxis(from: number, to: number, plotWidth: number) {
  const timeZone = plantTimezone();
  const ticks = plantTimeTicks(from, to, plotWidth, timeZone);
  const labels = new Map(ticks.map((tick) => [tick, plantTimeLabel(tick)]));
  return {
    axisTick: { customValues: ticks },
    axisLabel: {
      customValues: ticks,
      formatter: (value: number) => labels.get(value) ?? plantTimeLabel(value),
      hideOverlap: true,
    },
  };
}
