import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/main.ts');
const DIST_MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/main.js');

/** Runs the built server with an environment and collects its exit code and stderr. */
function boot(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [DIST_MAIN], {
      env: { PATH: process.env.PATH, FLOORBOARD_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fb-boot-')), ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('server boot refuses bad configuration with a readable message and exit code 1', () => {
  beforeAll(() => {
    if (!fs.existsSync(DIST_MAIN)) throw new Error(`build the server first (${DIST_MAIN} from ${MAIN})`);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT: must be a port number'],
    [{ LOG_LEVEL: 'shouty' }, 'LOG_LEVEL: must be one of error, warn, info, debug'],
    [{ DATABASE_URL: 'mysql://nope' }, 'DATABASE_URL: must be a URL starting with postgres://'],
    [{ FLOORBOARD_INGEST_TOKEN: 'short' }, 'FLOORBOARD_INGEST_TOKEN: must be at least 16 characters'],
  ])('invalid env %j', async (env, message) => {
    const { code, stderr } = await boot(env);
    expect(code).toBe(1);
    expect(stderr).toContain('invalid configuration');
    expect(stderr).toContain(message);
  });

  it('names the bad field of an invalid plant file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fb-plant-')), 'plant.yaml');
    fs.writeFileSync(
      file,
      'timezone: Mars/Olympus\nlines:\n  - key: l1\n    name: L1\n    site: s\n    idealCycleTimeSec: 0\n    stations: []\n',
    );
    const { code, stderr } = await boot({ FLOORBOARD_PLANT: file });
    expect(code).toBe(1);
    expect(stderr).toContain('PLANT_INVALID');
    expect(stderr).toContain('timezone: not an IANA timezone');
    expect(stderr).toContain('lines[0].idealCycleTimeSec');
    expect(stderr).toContain('lines[0].stations');
  });

  it('reports a malformed YAML plant file with its line', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fb-plant-')), 'plant.yaml');
    fs.writeFileSync(file, 'timezone: UTC\nlines: [\n  key: : :\n');
    const { code, stderr } = await boot({ FLOORBOARD_PLANT: file });
    expect(code).toBe(1);
    expect(stderr).toContain('PLANT_FILE_MALFORMED');
  });

  it('says plainly which port is taken and how to choose another', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', () => resolve()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const { code, stderr } = await boot({ MQTT_PORT: String(port), PORT: '0' });
      expect(code).toBe(1);
      expect(stderr).toContain(`MQTT port ${port} is already in use`);
      expect(stderr).toContain(`MQTT_URL=mqtt://127.0.0.1:${port}`);
      expect(stderr).toContain(`MQTT_PORT=${port + 1}`);
    } finally {
      blocker.close();
    }
  });
});
