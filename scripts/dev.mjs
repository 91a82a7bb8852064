// `npm run dev`: TypeScript in watch mode for shared/server/edge-gateway, the Vite dev server with
// hot reload for the dashboard (proxying /api and /socket.io to the server), and the whole system
// via start.mjs. Restart `npm run dev` to pick up server or gateway changes.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => spawn(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });

const build = run('npx', ['tsc', '-b', 'shared', 'server', 'edge-gateway']);
const code = await new Promise((resolve) => build.once('exit', resolve));
if (code !== 0) process.exit(code ?? 1);

const children = [
  run('npx', ['tsc', '-b', '--watch', '--preserveWatchOutput', 'shared', 'server', 'edge-gateway']),
  run('npm', ['run', 'dev', '-w', '@floorboard/dashboard']),
  run(process.execPath, [path.join(root, 'scripts/start.mjs')]),
];
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
