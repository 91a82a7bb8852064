import { spawn } from 'node:child_process';
import readline from 'node:readline';

const COLORS = { server: 36, gateway: 35, simulator: 33 };
const LEVEL_COLORS = { error: 31, warn: 33, info: 32, debug: 90 };
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

/** Turns one JSON log line of a child into a short human line; other lines pass through. */
export function formatLogLine(name, line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return `${paint(COLORS[name] ?? 37, name.padEnd(9))} ${line}`;
  }
  if (!entry || typeof entry !== 'object') return `${paint(COLORS[name] ?? 37, name.padEnd(9))} ${line}`;
  const { level = 'info', time, msg = '', context, stack, ...fields } = entry;
  const clock = typeof time === 'string' ? time.slice(11, 19) : new Date().toISOString().slice(11, 19);
  const extra = Object.entries(fields)
    .filter(([k]) => k !== 'pid')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const head = `${paint(90, clock)} ${paint(COLORS[name] ?? 37, name.padEnd(9))} ${paint(LEVEL_COLORS[level] ?? 37, String(level).padEnd(5))}`;
  return `${head} ${context ? `[${context}] ` : ''}${msg}${extra ? ` ${paint(90, extra)}` : ''}${stack ? `\n${stack}` : ''}`;
}

/**
 * Starts a child process in its own process group, prefixes its output and lets the caller watch
 * its JSON log entries (to learn when it is ready).
 */
export function startChild(name, args, env, { onEntry } = {}) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pipe = (stream, out) =>
    readline.createInterface({ input: stream }).on('line', (line) => {
      out.write(formatLogLine(name, line) + '\n');
      if (onEntry) {
        try {
          onEntry(JSON.parse(line));
        } catch {
          /* not a JSON line */
        }
      }
    });
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { name, child, exited };
}

const hasExited = (handle) => handle.child.exitCode !== null || handle.child.signalCode !== null;

/**
 * Stops a child: when the terminal already signalled the whole process group (Ctrl-C) the child is
 * given `selfStopMs` to exit on its own; then SIGTERM, then SIGKILL after `graceMs`.
 */
export async function stopChild(handle, { selfStopMs = 0, graceMs = 10_000 } = {}) {
  if (hasExited(handle)) return;
  if (selfStopMs > 0) {
    await Promise.race([handle.exited, new Promise((resolve) => setTimeout(resolve, selfStopMs))]);
    if (hasExited(handle)) return;
  }
  handle.child.kill('SIGTERM');
  const timer = setTimeout(() => handle.child.kill('SIGKILL'), graceMs);
  await handle.exited;
  clearTimeout(timer);
}
