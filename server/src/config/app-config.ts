import path from 'node:path';
import { z } from 'zod';
import { describeIssues } from '@floorboard/shared';

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
  FLOORBOARD_DASHBOARD_DIR: optionalText,
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
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
  dashboardDir: string | null;
  logLevel: LogLevel;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; errors: string[] };

/** Reads and validates the environment once at boot (DESIGN.md §3). */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const parsed = envSchema.safeParse(env);
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
      dashboardDir: e.FLOORBOARD_DASHBOARD_DIR ?? null,
      logLevel: e.LOG_LEVEL,
    },
  };
}

/** Injection token for the validated config. */
export const APP_CONFIG = Symbol('APP_CONFIG');
