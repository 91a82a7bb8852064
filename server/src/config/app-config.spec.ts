import { loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('applies the embedded defaults on an empty environment', () => {
    const result = loadConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      port: 3000,
      databaseUrl: null,
      mqttUrl: null,
      mqttPort: 1883,
      databaseSchema: 'public',
      logLevel: 'info',
      plantFile: null,
      corsOrigins: [],
    });
  });

  it('reads real services and lists', () => {
    const result = loadConfig({
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/test',
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      FLOORBOARD_CORS_ORIGINS: 'https://a.example, https://b.example',
      PORT: '8080',
    });
    expect(result.ok && result.config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://u@127.0.0.1:5432/test',
      mqttUrl: 'mqtt://127.0.0.1:1883',
      corsOrigins: ['https://a.example', 'https://b.example'],
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT: must be a port number'],
    [{ PORT: '70000' }, 'PORT: must be 0..65535'],
    [{ MQTT_PORT: '-1' }, 'MQTT_PORT: must be 0..65535'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must be a URL starting with postgres:// or postgresql://'],
    [{ MQTT_URL: 'not a url' }, 'MQTT_URL: must be a URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of error, warn, info, debug'],
    [{ FLOORBOARD_INGEST_TOKEN: 'short' }, 'FLOORBOARD_INGEST_TOKEN: must be at least 16 characters'],
    [{ FLOORBOARD_ADMIN_PASSWORD: 'pw' }, 'FLOORBOARD_ADMIN_PASSWORD: must be at least 8 characters'],
    [{ DATABASE_SCHEMA: 'Drop Table' }, 'DATABASE_SCHEMA: must be a lowercase SQL identifier'],
  ])('rejects %j with a message naming the variable', (env, expected) => {
    const result = loadConfig(env);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.join('\n')).toContain(expected);
  });
});
