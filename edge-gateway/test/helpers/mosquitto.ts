import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** True when `name` runs (a missing binary is ENOENT; `mosquitto -h` itself exits non-zero). */
export function binaryAvailable(name: string, args: string[] = ['--help']): boolean {
  try {
    execFileSync(name, args, { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface TlsMosquitto {
  /** `mqtts://localhost:<port>` (the certificate is for localhost and 127.0.0.1). */
  url: string;
  caFile: string;
  username: string;
  password: string;
  stop(): Promise<void>;
}

/**
 * A private Mosquitto with only a TLS listener and a password file, on a free port in a temp dir: a CA and a
 * server certificate are made with `openssl`, the user with `mosquitto_passwd -b`. Never the shared broker.
 */
export async function startTlsMosquitto(): Promise<TlsMosquitto> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-mosq-tls-'));
  const f = (name: string) => path.join(dir, name);
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, stdio: 'pipe' });
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=floorboard-test-ca',
  ]);
  run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
    '-subj',
    '/CN=localhost',
  ]);
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run('openssl', [
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.crt'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.crt'),
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
  ]);
  const username = 'gateway-user';
  const password = 'gateway-secret-1';
  run('mosquitto_passwd', ['-c', '-b', f('passwd'), username, password]);
  const port = await freePort();
  fs.writeFileSync(
    f('mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      `cafile ${f('ca.crt')}`,
      `certfile ${f('server.crt')}`,
      `keyfile ${f('server.key')}`,
      'allow_anonymous false',
      `password_file ${f('passwd')}`,
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      'log_dest stderr',
      '',
    ].join('\n'),
  );
  const log: string[] = [];
  const child: ChildProcess = spawn('mosquitto', ['-c', f('mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited: ${log.join('')}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen: ${log.join('')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `mqtts://localhost:${port}`,
    caFile: f('ca.crt'),
    username,
    password,
    async stop() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
