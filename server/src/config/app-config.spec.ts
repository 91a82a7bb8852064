import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

  it('reads secrets from *_FILE (one trailing newline dropped) and refuses both forms at once', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-config-'));
    const write = (name: string, content: string) => {
      fs.writeFileSync(path.join(dir, name), content);
      return path.join(dir, name);
    };
    const result = loadConfig({
      FLOORBOARD_ADMIN_PASSWORD_FILE: write('admin', 'from-a-file-pw\n'),
      FLOORBOARD_INGEST_TOKEN_FILE: write('ingest', 'ingest-token-from-a-file'),
      DATABASE_URL_FILE: write('db', 'postgres://u:secret@db:5432/fb\n'),
      FLOORBOARD_TRUST_PROXY: '1',
    });
    expect(result.ok && result.config).toMatchObject({
      adminPassword: 'from-a-file-pw',
      ingestToken: 'ingest-token-from-a-file',
      databaseUrl: 'postgres://u:secret@db:5432/fb',
      trustProxy: 1,
    });
    const both = loadConfig({ FLOORBOARD_ADMIN_PASSWORD: 'x'.repeat(10), FLOORBOARD_ADMIN_PASSWORD_FILE: 'y' });
    expect(!both.ok && both.errors.join()).toContain('set either FLOORBOARD_ADMIN_PASSWORD or');
    const missing = loadConfig({ FLOORBOARD_INGEST_TOKEN_FILE: path.join(dir, 'nope') });
    expect(!missing.ok && missing.errors.join()).toContain('FLOORBOARD_INGEST_TOKEN_FILE: cannot read');
    expect(!missing.ok && missing.errors.join()).toContain('ENOENT');
    const short = loadConfig({ FLOORBOARD_INGEST_TOKEN_FILE: write('short', 'short') });
    expect(!short.ok && short.errors.join()).toContain('FLOORBOARD_INGEST_TOKEN: must be at least 16 characters');
    expect(!loadConfig({ FLOORBOARD_TRUST_PROXY: 'everyone' }).ok).toBe(true);
  });
});
