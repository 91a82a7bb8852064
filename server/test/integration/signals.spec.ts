import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST_MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/main.js');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const ready = (base: string) =>
  fetch(`${base}/health/ready`).then(
    (r) => r.ok,
    () => false,
  );

/**
 * The built server on embedded PostgreSQL and broker, its own ports and data dir (also its working directory, where
 * heap snapshots land); resolves once it is ready.
 */
async function startServer(
  nodeArgs: string[],
): Promise<{ child: ChildProcess; base: string; dir: string; stdout: () => string }> {
  const [port, mqttPort] = [await freePort(), await freePort()];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-signals-'));
  const child = spawn(process.execPath, [...nodeArgs, DIST_MAIN], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      FLOORBOARD_DATA_DIR: dir,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; !(await ready(base)); i++) {
    if (child.exitCode !== null || i > 600) throw new Error(`server did not start: ${stdout.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, dir, stdout: () => stdout };
}

describe('server process signals', () => {
  let server: Awaited<ReturnType<typeof startServer>> | undefined;

  afterEach(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('writes a heap snapshot on SIGUSR2 with --heapsnapshot-signal and keeps running; stops cleanly on SIGHUP', async () => {
    // (Nest's shutdown hooks used to take SIGUSR2 as well and shut the server down instead.)
    server = await startServer(['--heapsnapshot-signal=SIGUSR2']);
    server.child.kill('SIGUSR2');
    const snapshots = () => fs.readdirSync(server!.dir).filter((f) => f.endsWith('.heapsnapshot'));
    for (let i = 0; snapshots().length === 0 && i < 300; i++) await new Promise((r) => setTimeout(r, 100));
    expect(snapshots()).toHaveLength(1);
    expect(server.child.exitCode).toBeNull();
    expect(server.child.signalCode).toBeNull();
    expect(await ready(server.base)).toBe(true);

    const exited = new Promise<number | null>((resolve) => server!.child.once('exit', resolve));
    server.child.kill('SIGHUP');
    expect(await exited).toBe(0);
    expect(server.stdout()).toMatch(/"msg":"shutting down".*"signal":"SIGHUP"/);
  });
});
