import { z } from 'zod';
import { describeIssues } from '@floorboard/shared';
import { LOG_LEVELS, type LogLevel } from '../logging/logger.js';

export interface SimulatorConfig {
  mqttUrl: string;
  mqttUsername?: string;
  mqttPassword?: string;
  seed: number;
  speed: number;
  plantFile?: string;
  bufferCapacity: number;
  logLevel: LogLevel;
}

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const envSchema = z.object({
  MQTT_URL: z
    .string({ message: 'is required (e.g. mqtt://127.0.0.1:1883)' })
    .refine((v) => URL.canParse(v), { message: 'must be a URL such as mqtt://127.0.0.1:1883' }),
  MQTT_USERNAME: optional(z.string()),
  MQTT_PASSWORD: optional(z.string()),
  SIM_SEED: optional(z.coerce.number().int('must be a whole number').min(0).max(4_294_967_295)),
  SIM_SPEED: optional(z.coerce.number({ message: 'must be a number' }).positive('must be above 0').max(10_000)),
  SIM_BUFFER_CAPACITY: optional(z.coerce.number().int('must be a whole number').min(0).max(1000)),
  FLOORBOARD_PLANT: optional(z.string()),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })),
});

export function loadSimulatorConfig(
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; config: SimulatorConfig } | { ok: false; errors: string[] } {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error.issues) };
  const e = parsed.data;
  return {
    ok: true,
    config: {
      mqttUrl: e.MQTT_URL,
      mqttUsername: e.MQTT_USERNAME,
      mqttPassword: e.MQTT_PASSWORD,
      seed: e.SIM_SEED ?? 42,
      speed: e.SIM_SPEED ?? 1,
      plantFile: e.FLOORBOARD_PLANT,
      bufferCapacity: e.SIM_BUFFER_CAPACITY ?? 4,
      logLevel: e.LOG_LEVEL ?? 'info',
    },
  };
}
