import { describe, expect, it } from '@jest/globals';
import { defaultGatewayId, defaultInputsConfig, loadGatewayConfig, redactUrl } from './config.js';

const minimal = { MQTT_URL: 'mqtt://127.0.0.1:1883', FLOORBOARD_INGEST_TOKEN: 'secret' };

describe('loadGatewayConfig', () => {
  it('applies the documented defaults', () => {
    const result = loadGatewayConfig(minimal);
    expect(result).toEqual({
      ok: true,
      config: {
        mqttUrl: 'mqtt://127.0.0.1:1883',
        mqttUsername: undefined,
        mqttPassword: undefined,
        serverUrl: 'http://127.0.0.1:3000',
        ingestToken: 'secret',
        gatewayId: defaultGatewayId(),
        dataDir: './data/gateway',
        httpPort: 3100,
        sites: [],
        logLevel: 'info',
        tls: undefined,
        inputs: defaultInputsConfig(defaultGatewayId()),
        outbox: { maxEvents: undefined, maxBytes: undefined, maxAgeMs: undefined },
        heartbeatIntervalMs: 10_000,
        configFile: undefined,
      },
    });
  });

  it('reads every variable', () => {
    const result = loadGatewayConfig({
      ...minimal,
      MQTT_USERNAME: 'gw',
      MQTT_PASSWORD: 'pw',
      FLOORBOARD_SERVER_URL: 'https://floorboard.example:8443/',
      GATEWAY_ID: 'gw-line-1',
      GATEWAY_DATA_DIR: '/var/lib/fb',
      GATEWAY_PORT: '0',
      GATEWAY_SITES: 'plant-a, plant-b',
      LOG_LEVEL: 'debug',
    });
    expect(result.ok && result.config).toMatchObject({
      mqttUsername: 'gw',
      serverUrl: 'https://floorboard.example:8443',
      gatewayId: 'gw-line-1',
      dataDir: '/var/lib/fb',
      httpPort: 0,
      sites: ['plant-a', 'plant-b'],
      logLevel: 'debug',
    });
  });

  it.each([
    [{}, /^MQTT_URL: is required/],
    [{ MQTT_URL: 'mqtt://x' }, /^FLOORBOARD_INGEST_TOKEN: is required/],
    [{ ...minimal, MQTT_URL: 'localhost:1883' }, /^MQTT_URL: must be a URL/],
    [{ ...minimal, MQTT_URL: 'http://broker' }, /^MQTT_URL: must be a URL/],
    [{ ...minimal, FLOORBOARD_SERVER_URL: 'ftp://x' }, /^FLOORBOARD_SERVER_URL: must be a URL/],
    [{ ...minimal, GATEWAY_PORT: 'abc' }, /^GATEWAY_PORT: must be a port number/],
    [{ ...minimal, GATEWAY_PORT: '70000' }, /^GATEWAY_PORT: /],
    [{ ...minimal, GATEWAY_ID: 'has space' }, /^GATEWAY_ID: /],
    [{ ...minimal, LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: must be one of debug, info, warn, error/],
    [{ ...minimal, GATEWAY_SITES: 'Plant A' }, /^GATEWAY_SITES: "Plant A" is not a valid site key/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    const result = loadGatewayConfig(env);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatch(message);
  });

  it('treats empty strings as unset', () => {
    const result = loadGatewayConfig({ ...minimal, MQTT_USERNAME: '', GATEWAY_PORT: ' ', LOG_LEVEL: '' });
    expect(result.ok && result.config).toMatchObject({ mqttUsername: undefined, httpPort: 3100, logLevel: 'info' });
  });
});

describe('defaultGatewayId', () => {
  it('is gw-<hostname> with only allowed characters', () => {
    expect(defaultGatewayId('edge-01.plant')).toBe('gw-edge-01.plant');
    expect(defaultGatewayId('my host!')).toBe('gw-my-host-');
    expect(defaultGatewayId('')).toBe('gw-unknown');
  });
});

describe('redactUrl', () => {
  it('hides credentials', () => {
    expect(redactUrl('mqtt://user:pw@broker:1883')).toBe('mqtt://***@broker:1883');
    expect(redactUrl('mqtt://broker:1883')).toBe('mqtt://broker:1883');
  });
});
