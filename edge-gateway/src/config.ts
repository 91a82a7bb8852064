import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  describeIssues,
  keySchema,
  STATE_CODE_TABLES,
  STATION_STATES,
  type StateCodeTable,
  type StationState,
} from '@floorboard/shared';
import type { CounterMode } from './inputs/counters.js';
import type { StationOverride } from './inputs/station-keys.js';
import type { SparkplugMetricNames, SparkplugNodeMapping } from './inputs/sparkplug/sparkplug-host.js';
import { LOG_LEVELS, type LogLevel } from './logging/logger.js';

export interface StateCodeConfig {
  table: StateCodeTable;
  custom?: Record<string, StationState>;
}

export interface InputsConfig {
  floorboardJson: { enabled: boolean; topicFilters?: string[] };
  umh: {
    enabled: boolean;
    topicFilters?: string[];
    overrides: Record<string, StationOverride>;
    states: StateCodeConfig;
    counters: CounterMode;
  };
  sparkplug: {
    enabled: boolean;
    topicFilters?: string[];
    hostId: string;
    reorderTimeoutMs: number;
    metrics: SparkplugMetricNames;
    states: StateCodeConfig;
    counters: CounterMode;
    nodes: Record<string, SparkplugNodeMapping>;
  };
}

export interface OutboxBounds {
  maxEvents?: number;
  maxBytes?: number;
  maxAgeMs?: number;
}

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
  tls?: { caFile?: string; certFile?: string; keyFile?: string; rejectUnauthorized?: boolean };
  inputs: InputsConfig;
  outbox: OutboxBounds;
  /** How often the gateway reports to `POST /api/v1/gateways/heartbeat`; 0 = never. */
  heartbeatIntervalMs: number;
  /** The YAML file read (`GATEWAY_CONFIG`), if any. */
  configFile?: string;
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
  GATEWAY_CONFIG: optional(z.string()),
});

const key = keySchema;
const overrideSchema = z.object({ line: key.optional(), station: key.optional() }).strict();
const topicList = z.array(z.string().min(1).max(512)).min(1);
const statesSchema = z
  .object({
    table: z.enum(STATE_CODE_TABLES, { message: `must be one of ${STATE_CODE_TABLES.join(', ')}` }),
    custom: z
      .record(
        z.string(),
        z.enum(STATION_STATES, { message: `must be a Floorboard state (${STATION_STATES.join(', ')})` }),
      )
      .optional(),
  })
  .strict()
  .refine((s) => s.table !== 'custom' || (s.custom !== undefined && Object.keys(s.custom).length > 0), {
    message: 'table "custom" needs a "custom" map of code → state',
    path: ['custom'],
  });
const counters = z.enum(['increments', 'cumulative'], { message: 'must be "increments" or "cumulative"' });

/** The YAML file named by GATEWAY_CONFIG (see gateway.example.yaml). Every object is strict. */
export const gatewayFileSchema = z
  .object({
    mqtt: z
      .object({
        url: z.string().pipe(urlWithProtocol(MQTT_PROTOCOLS, 'mqtt://127.0.0.1:1883')).optional(),
        username: z.string().optional(),
        password: z.string().optional(),
        tls: z
          .object({
            ca: z.string().min(1).optional(),
            cert: z.string().min(1).optional(),
            key: z.string().min(1).optional(),
            rejectUnauthorized: z.boolean().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    server: z
      .object({
        url: urlWithProtocol(['http:', 'https:'], 'http://127.0.0.1:3000').optional(),
        ingestToken: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    gateway: z
      .object({
        id: gatewayIdSchema.optional(),
        dataDir: z.string().min(1).optional(),
        port: z.number().int().min(0).max(65_535).optional(),
        heartbeatSeconds: z.number().min(0).max(3600).optional(),
        logLevel: z.enum(LOG_LEVELS).optional(),
      })
      .strict()
      .optional(),
    outbox: z
      .object({
        maxEvents: z.number().int().positive().optional(),
        maxMegabytes: z.number().positive().optional(),
        maxAgeHours: z.number().positive().optional(),
      })
      .strict()
      .optional(),
    inputs: z
      .object({
        floorboardJson: z
          .object({ enabled: z.boolean().optional(), topics: topicList.optional(), sites: z.array(key).optional() })
          .strict()
          .optional(),
        umh: z
          .object({
            enabled: z.boolean().optional(),
            topics: topicList.optional(),
            stations: z.record(z.string(), overrideSchema).optional(),
            states: statesSchema.optional(),
            counters: counters.optional(),
          })
          .strict()
          .optional(),
        sparkplug: z
          .object({
            enabled: z.boolean().optional(),
            topics: topicList.optional(),
            hostId: z
              .string()
              .regex(/^[^/+#]+$/, 'must not contain "/", "+" or "#"')
              .optional(),
            reorderTimeoutMs: z.number().int().min(10).max(60_000).optional(),
            metrics: z
              .object({
                state: z.string().min(1).optional(),
                goodCount: z.string().min(1).optional(),
                scrapCount: z.string().min(1).optional(),
                cycleTime: z.string().min(1).optional(),
                reason: z.string().min(1).optional(),
              })
              .strict()
              .optional(),
            states: statesSchema.optional(),
            counters: counters.optional(),
            nodes: z
              .record(
                z.string().regex(/^[^/]+\/[^/]+$/, 'keys are "<group>/<edge node>"'),
                z
                  .object({
                    line: key.optional(),
                    station: key.optional(),
                    devices: z.record(z.string(), overrideSchema).optional(),
                  })
                  .strict(),
              )
              .optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type GatewayFile = z.infer<typeof gatewayFileSchema>;

function readConfigFile(file: string): { ok: true; value: GatewayFile } | { ok: false; errors: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [`GATEWAY_CONFIG: cannot read ${file} (${(error as Error).message})`] };
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    return { ok: false, errors: [`${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`] };
  }
  const parsed = gatewayFileSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error.issues).map((e) => `${file}: ${e}`) };
  return { ok: true, value: parsed.data };
}

export type ConfigResult = { ok: true; config: GatewayConfig } | { ok: false; errors: string[] };

/** Reads and validates the gateway's environment once at boot; every error names its variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  let file: GatewayFile = {};
  const configFile =
    typeof env.GATEWAY_CONFIG === 'string' && env.GATEWAY_CONFIG.trim() !== '' ? env.GATEWAY_CONFIG : undefined;
  if (configFile) {
    const read = readConfigFile(configFile);
    if (!read.ok) return read;
    file = read.value;
  }
  // Environment variables override the file; the file fills in what the environment leaves out.
  const merged: Record<string, unknown> = {
    MQTT_URL: file.mqtt?.url,
    MQTT_USERNAME: file.mqtt?.username,
    MQTT_PASSWORD: file.mqtt?.password,
    FLOORBOARD_SERVER_URL: file.server?.url,
    FLOORBOARD_INGEST_TOKEN: file.server?.ingestToken,
    GATEWAY_ID: file.gateway?.id,
    GATEWAY_DATA_DIR: file.gateway?.dataDir,
    GATEWAY_PORT: file.gateway?.port,
    GATEWAY_SITES: file.inputs?.floorboardJson?.sites?.join(','),
    LOG_LEVEL: file.gateway?.logLevel,
  };
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !(typeof value === 'string' && value.trim() === '' && merged[name] !== undefined)) {
      merged[name] = value;
    }
  }
  const parsed = envSchema.safeParse(merged);
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
      tls: file.mqtt?.tls
        ? {
            caFile: file.mqtt.tls.ca,
            certFile: file.mqtt.tls.cert,
            keyFile: file.mqtt.tls.key,
            rejectUnauthorized: file.mqtt.tls.rejectUnauthorized,
          }
        : undefined,
      inputs: inputsConfig(file, e.GATEWAY_ID ?? defaultGatewayId()),
      outbox: {
        maxEvents: file.outbox?.maxEvents,
        maxBytes:
          file.outbox?.maxMegabytes === undefined ? undefined : Math.round(file.outbox.maxMegabytes * 1024 * 1024),
        maxAgeMs: file.outbox?.maxAgeHours === undefined ? undefined : Math.round(file.outbox.maxAgeHours * 3_600_000),
      },
      heartbeatIntervalMs: Math.round((file.gateway?.heartbeatSeconds ?? 10) * 1000),
      configFile,
    },
  };
}

/** Every input on its standard topics with the documented defaults (no config file). */
export function defaultInputsConfig(gatewayId: string): InputsConfig {
  return inputsConfig({}, gatewayId);
}

function inputsConfig(file: GatewayFile, gatewayId: string): InputsConfig {
  const i = file.inputs ?? {};
  const states = (
    s: { table: StateCodeTable; custom?: Record<string, StationState> } | undefined,
    table: StateCodeTable,
  ) => s ?? { table };
  return {
    floorboardJson: { enabled: i.floorboardJson?.enabled ?? true, topicFilters: i.floorboardJson?.topics },
    umh: {
      enabled: i.umh?.enabled ?? true,
      topicFilters: i.umh?.topics,
      overrides: i.umh?.stations ?? {},
      states: states(i.umh?.states, 'umh'),
      counters: i.umh?.counters ?? 'increments',
    },
    sparkplug: {
      enabled: i.sparkplug?.enabled ?? true,
      topicFilters: i.sparkplug?.topics,
      hostId: i.sparkplug?.hostId ?? `floorboard-${gatewayId}`,
      reorderTimeoutMs: i.sparkplug?.reorderTimeoutMs ?? 2000,
      metrics: {
        state: i.sparkplug?.metrics?.state ?? 'State',
        goodCount: i.sparkplug?.metrics?.goodCount ?? 'GoodCount',
        scrapCount: i.sparkplug?.metrics?.scrapCount ?? 'ScrapCount',
        cycleTime: i.sparkplug?.metrics?.cycleTime ?? 'CycleTime',
        reason: i.sparkplug?.metrics?.reason ?? 'Reason',
      },
      states: states(i.sparkplug?.states, 'packml'),
      counters: i.sparkplug?.counters ?? 'cumulative',
      nodes: i.sparkplug?.nodes ?? {},
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
