import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describeIssues } from '@floorboard/shared';

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/**
 * How live deltas are coalesced per line: `leading` sends a quiet line's first change at once and what follows
 * within the window when it ends; `interval` sends every window's changes on a fixed tick (the former behaviour,
 * kept to measure against). Both send a line at most once per window.
 */
const LIVE_FLUSH_MODES = ['leading', 'interval'] as const;
export type LiveFlushMode = (typeof LIVE_FLUSH_MODES)[number];

const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be 0..65535')
    .max(65535, 'must be 0..65535')
    .default(fallback);

const optionalText = z
  .string()
  .transform((s) => s.trim())
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const url = (protocols: string[]) =>
  optionalText.refine(
    (value) => {
      if (value === undefined) return true;
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const envSchema = z.object({
  PORT: port(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase SQL identifier')
    .default('public'),
  MQTT_URL: url(['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:']),
  MQTT_PORT: port(1883),
  FLOORBOARD_DATA_DIR: z.string().min(1).default('./data'),
  FLOORBOARD_PLANT: optionalText,
  FLOORBOARD_ADMIN_PASSWORD: optionalText.refine((v) => v === undefined || v.length >= 8, {
    message: 'must be at least 8 characters',
  }),
  FLOORBOARD_INGEST_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  FLOORBOARD_CORS_ORIGINS: optionalText,
  FLOORBOARD_TRUST_PROXY: optionalText.refine(
    (v) => v === undefined || /^(\d{1,2}|loopback|linklocal|uniquelocal)$/.test(v),
    {
      message: 'must be a number of proxy hops (e.g. 1) or loopback, linklocal, uniquelocal',
    },
  ),
  FLOORBOARD_DASHBOARD_DIR: optionalText,
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  FLOORBOARD_LIVE_FLUSH: z
    .enum(LIVE_FLUSH_MODES, { message: `must be one of ${LIVE_FLUSH_MODES.join(', ')}` })
    .default('leading'),
  FLOORBOARD_KPI_ROLLUPS: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
});

export interface AppConfig {
  port: number;
  host: string;
  /** null = start embedded PostgreSQL (PGlite) under `dataDir`. */
  databaseUrl: string | null;
  databaseSchema: string;
  /** null = start the embedded MQTT broker on `mqttPort`. */
  mqttUrl: string | null;
  mqttPort: number;
  dataDir: string;
  plantFile: string | null;
  adminPassword: string | null;
  ingestToken: string | null;
  corsOrigins: string[];
  /** Express `trust proxy`: how far to trust X-Forwarded-For for the client address (login lockout). */
  trustProxy: number | string | false;
  dashboardDir: string | null;
  logLevel: LogLevel;
  liveFlush: LiveFlushMode;
  /** KPI queries use and maintain the stored 15-minute rollups; off computes every window from raw history. */
  kpiRollups: boolean;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; errors: string[] };

/** Secrets that may also come from a file named by `<NAME>_FILE` (Docker and Kubernetes secrets). */
export const FILE_SECRETS = ['FLOORBOARD_ADMIN_PASSWORD', 'FLOORBOARD_INGEST_TOKEN', 'DATABASE_URL'] as const;

/** Replaces each `<NAME>_FILE` by the file's content (one trailing newline dropped); never both. */
function readSecretFiles(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; errors: string[] } {
  const resolved: NodeJS.ProcessEnv = { ...env };
  const errors: string[] = [];
  for (const name of FILE_SECRETS) {
    const file = env[`${name}_FILE`]?.trim();
    if (!file) continue;
    if (env[name]?.trim()) {
      errors.push(`${name}_FILE: set either ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      resolved[name] = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      errors.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return { env: resolved, errors };
}

/** Reads and validates the environment once at boot (DESIGN.md §3). */
export function loadConfig(rawEnv: NodeJS.ProcessEnv): ConfigResult {
  const files = readSecretFiles(rawEnv);
  if (files.errors.length > 0) return { ok: false, errors: files.errors };
  const parsed = envSchema.safeParse(files.env);
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error.issues) };
  const e = parsed.data;
  return {
    ok: true,
    config: {
      port: e.PORT,
      host: e.HOST,
      databaseUrl: e.DATABASE_URL ?? null,
      databaseSchema: e.DATABASE_SCHEMA,
      mqttUrl: e.MQTT_URL ?? null,
      mqttPort: e.MQTT_PORT,
      dataDir: path.resolve(e.FLOORBOARD_DATA_DIR),
      plantFile: e.FLOORBOARD_PLANT ?? null,
      adminPassword: e.FLOORBOARD_ADMIN_PASSWORD ?? null,
      ingestToken: e.FLOORBOARD_INGEST_TOKEN ?? null,
      corsOrigins: (e.FLOORBOARD_CORS_ORIGINS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      trustProxy: parseTrustProxy(e.FLOORBOARD_TRUST_PROXY),
      dashboardDir: e.FLOORBOARD_DASHBOARD_DIR ?? null,
      logLevel: e.LOG_LEVEL,
      liveFlush: e.FLOORBOARD_LIVE_FLUSH,
      kpiRollups: e.FLOORBOARD_KPI_ROLLUPS === 'on',
    },
  };
}

function parseTrustProxy(value: string | undefined): number | string | false {
  if (value === undefined) return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Injection token for the validated config. */
export const APP_CONFIG = Symbol('APP_CONFIG');
