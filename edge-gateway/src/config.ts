import os from 'node:os';
import { z } from 'zod';
import { describeIssues, keySchema } from '@floorboard/shared';
import { LOG_LEVELS, type LogLevel } from './logging/logger.js';

export interface GatewayConfig {
  mqttUrl: string;
  mqttUsername?: string;
  mqttPassword?: string;
  serverUrl: string;
  ingestToken: string;
  gatewayId: string;
  dataDir: string;
  httpPort: number;
  /** Site keys this gateway listens to on `floorboard/v1/{site}/…`; empty = every site. */
  sites: string[];
  logLevel: LogLevel;
}

const MQTT_PROTOCOLS = ['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'];

// Empty strings in env files (`MQTT_USERNAME=`) mean "not set", not "set to nothing".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

function urlWithProtocol(protocols: string[], example: string) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL such as ${example}` },
  );
}

const gatewayIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

const envSchema = z.object({
  MQTT_URL: z
    .string({ message: 'is required (e.g. mqtt://127.0.0.1:1883)' })
    .pipe(urlWithProtocol(MQTT_PROTOCOLS, 'mqtt://127.0.0.1:1883')),
  MQTT_USERNAME: optional(z.string()),
  MQTT_PASSWORD: optional(z.string()),
  FLOORBOARD_SERVER_URL: optional(urlWithProtocol(['http:', 'https:'], 'http://127.0.0.1:3000')),
  FLOORBOARD_INGEST_TOKEN: z.string({ message: 'is required (the token shared with the server)' }).min(1, 'is empty'),
  GATEWAY_ID: optional(gatewayIdSchema),
  GATEWAY_DATA_DIR: optional(z.string()),
  GATEWAY_PORT: optional(
    z.coerce.number({ message: 'must be a port number' }).int('must be a whole number').min(0).max(65_535),
  ),
  GATEWAY_SITES: optional(z.string()),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })),
});

export type ConfigResult = { ok: true; config: GatewayConfig } | { ok: false; errors: string[] };

/** Reads and validates the gateway's environment once at boot; every error names its variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error.issues) };
  const e = parsed.data;

  const sites = (e.GATEWAY_SITES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const badSite = sites.find((s) => !keySchema.safeParse(s).success);
  if (badSite !== undefined) {
    return { ok: false, errors: [`GATEWAY_SITES: "${badSite}" is not a valid site key`] };
  }

  return {
    ok: true,
    config: {
      mqttUrl: e.MQTT_URL,
      mqttUsername: e.MQTT_USERNAME,
      mqttPassword: e.MQTT_PASSWORD,
      serverUrl: (e.FLOORBOARD_SERVER_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
      ingestToken: e.FLOORBOARD_INGEST_TOKEN,
      gatewayId: e.GATEWAY_ID ?? defaultGatewayId(),
      dataDir: e.GATEWAY_DATA_DIR ?? './data/gateway',
      httpPort: e.GATEWAY_PORT ?? 3100,
      sites,
      logLevel: e.LOG_LEVEL ?? 'info',
    },
  };
}

/** `gw-<hostname>`, reduced to the characters a gateway id allows. */
export function defaultGatewayId(hostname = os.hostname()): string {
  const cleaned = hostname.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return `gw-${cleaned || 'unknown'}`.slice(0, 128);
}

/** The URL without user:password, for logs and /health. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}
