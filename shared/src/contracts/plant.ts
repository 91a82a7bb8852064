import { z } from 'zod';
import { keySchema } from './station-event.js';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time "HH:MM"');

function isIanaTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const plantStationSchema = z
  .object({
    key: keySchema,
    name: z.string().min(1).max(120),
    idealCycleTimeSec: z.number().positive().max(86_400),
  })
  .strict();

export const plantLineSchema = z
  .object({
    key: keySchema,
    name: z.string().min(1).max(120),
    site: keySchema,
    idealCycleTimeSec: z.number().positive().max(86_400),
    stations: z.array(plantStationSchema).min(1).max(200),
  })
  .strict()
  .superRefine((line, ctx) => {
    const seen = new Set<string>();
    line.stations.forEach((s, i) => {
      if (seen.has(s.key)) {
        ctx.addIssue({ code: 'custom', path: ['stations', i, 'key'], message: `duplicate station key "${s.key}"` });
      }
      seen.add(s.key);
    });
  });

export const plantShiftSchema = z
  .object({ name: z.string().min(1).max(60), start: clockTime, end: clockTime })
  .strict()
  .refine((s) => s.start !== s.end, { message: 'a shift cannot start and end at the same time', path: ['end'] });

/** The plant file (DESIGN.md §4.2). */
export const plantFileSchema = z
  .object({
    timezone: z.string().refine(isIanaTimezone, { message: 'not an IANA timezone such as "Europe/Berlin"' }),
    productionDayStart: clockTime.default('06:00'),
    microStopSeconds: z.number().int().min(0).max(3600).default(120),
    shifts: z.array(plantShiftSchema).max(24).default([]),
    lines: z.array(plantLineSchema).min(1).max(500),
  })
  .strict()
  .superRefine((plant, ctx) => {
    const seen = new Set<string>();
    plant.lines.forEach((l, i) => {
      if (seen.has(l.key))
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'key'], message: `duplicate line key "${l.key}"` });
      seen.add(l.key);
    });
    const names = new Set<string>();
    plant.shifts.forEach((s, i) => {
      if (names.has(s.name))
        ctx.addIssue({ code: 'custom', path: ['shifts', i, 'name'], message: `duplicate shift "${s.name}"` });
      names.add(s.name);
    });
  });

export type PlantFile = z.infer<typeof plantFileSchema>;
export type PlantLine = z.infer<typeof plantLineSchema>;
export type PlantStation = z.infer<typeof plantStationSchema>;
export type PlantShift = z.infer<typeof plantShiftSchema>;

/**
 * The plant's calendar as every signed-in user and wall screen may read it (`GET /plant/calendar`): the
 * timezone the dashboard formats times in, the local production-day start ("HH:MM") and the shifts.
 */
export type PlantCalendar = Pick<PlantFile, 'timezone' | 'productionDayStart' | 'shifts'>;

/** Formats zod issues as "lines[0].stations[2].key: duplicate station key" lines, naming the field. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
      .join('');
    return `${path || '(root)'}: ${issue.message}`;
  });
}
