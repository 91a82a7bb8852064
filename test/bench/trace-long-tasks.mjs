// Chromium trace helpers for the render benchmarks: record a trace over CDP, then find the renderer main
// thread's long tasks and say what they spent their time on (self time per trace event name, the biggest
// script call sites), since a long task's total alone does not tell paint from script from garbage collection.
// Self times are thread (CPU) time where the trace has it: on a busy machine a task's wall time also holds the
// time the thread waited for a core.
import fs from 'node:fs';

const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8.execute',
  'blink',
  'cc',
  'gpu',
  'disabled-by-default-v8.gc',
];
/** Top-level task events of a thread's message loop (names differ between Chromium versions). */
const TOP_LEVEL = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

/** Starts recording on a browser-wide CDP session (playwright's `browser.newBrowserCDPSession()`). */
export async function startTrace(cdp) {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { recordMode: 'recordContinuously', includedCategories: CATEGORIES },
  });
}

/** Stops recording, writes the trace (loadable in DevTools' Performance panel) and returns its events. */
export async function stopTrace(cdp, file) {
  const stream = await new Promise((resolve) => {
    cdp.once('Tracing.tracingComplete', ({ stream: handle }) => resolve(handle));
    void cdp.send('Tracing.end');
  });
  const chunks = [];
  for (;;) {
    const { data, eof, base64Encoded } = await cdp.send('IO.read', { handle: stream, size: 4 << 20 });
    chunks.push(base64Encoded ? Buffer.from(data, 'base64') : Buffer.from(data));
    if (eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const text = Buffer.concat(chunks).toString('utf8');
  fs.writeFileSync(file, text);
  const parsed = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** The renderer main threads (pid, tid) in the trace, busiest first. */
function rendererMainThreads(events) {
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const busy = (pid, tid) =>
    events.reduce((sum, e) => sum + (e.pid === pid && e.tid === tid && TOP_LEVEL.has(e.name) ? (e.dur ?? 0) : 0), 0);
  return mains.map((m) => ({ pid: m.pid, tid: m.tid, busyUs: busy(m.pid, m.tid) })).sort((a, b) => b.busyUs - a.busyUs);
}

/** Complete ('X') events of one thread; begin/end pairs are folded into complete events. */
function threadSlices(events, pid, tid) {
  const slices = [];
  const open = [];
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid) continue;
    if (e.ph === 'X') {
      slices.push({ name: e.name, ts: e.ts, dur: e.dur ?? 0, cpu: e.tdur ?? e.dur ?? 0, args: e.args });
    } else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const begin = open.pop();
      if (begin) {
        const cpu = e.tts !== undefined && begin.tts !== undefined ? e.tts - begin.tts : e.ts - begin.ts;
        slices.push({ name: begin.name, ts: begin.ts, dur: e.ts - begin.ts, cpu, args: begin.args });
      }
    }
  }
  return slices.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
}

/** The message loop's outermost tasks (one Chromium version nests `RunTask` in `ThreadControllerImpl::RunTask`). */
function topLevelTasks(slices) {
  const tops = [];
  for (const slice of slices) {
    if (!TOP_LEVEL.has(slice.name)) continue;
    const last = tops.at(-1);
    if (last && slice.ts < last.ts + last.dur) continue;
    tops.push(slice);
  }
  return tops;
}

/** CPU self time per event name of the slices inside `top` (sorted by start), with `top` itself. */
function selfTimes(top, inside, keyOf = (slice) => slice.name) {
  const self = new Map();
  const add = (key, us) => self.set(key, (self.get(key) ?? 0) + us);
  const stack = [{ ...top, key: '(task itself)', childCpu: 0 }];
  const close = (until) => {
    while (stack.length > 1 && stack.at(-1).ts + stack.at(-1).dur <= until) {
      const done = stack.pop();
      add(done.key, Math.max(0, done.cpu - done.childCpu));
    }
  };
  for (const slice of inside) {
    close(slice.ts);
    stack.at(-1).childCpu += slice.cpu;
    stack.push({ ...slice, key: keyOf(slice), childCpu: 0 });
  }
  close(Infinity);
  add('(task itself)', Math.max(0, stack[0].cpu - stack[0].childCpu));
  return self;
}

/** The slices fully inside `top`, from a list sorted by start, searching from `from`. */
function slicesInside(slices, top, from) {
  const end = top.ts + top.dur;
  const inside = [];
  for (let i = from; i < slices.length && slices[i].ts < end; i++) {
    if (slices[i] !== top && slices[i].ts >= top.ts && slices[i].ts + slices[i].dur <= end) inside.push(slices[i]);
  }
  return inside;
}

/** A readable name for a slice: script entry points get their function and source position. */
function label(slice) {
  const data = slice.args?.data;
  if (slice.name === 'FunctionCall' && data) {
    const file = String(data.url ?? '')
      .split('/')
      .pop();
    return `FunctionCall ${data.functionName || '(anonymous)'} ${file}:${data.lineNumber ?? '?'}`;
  }
  if (slice.name === 'TimerFire' && data) return `TimerFire #${data.timerId}`;
  if (slice.name === 'EventDispatch' && data) return `EventDispatch ${data.type}`;
  return slice.name;
}

const biggest = (map, count = 6) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `${name} ${(us / 1000).toFixed(1)}`);

/**
 * The thread's top-level tasks over `minMs` (wall time, as the page's long-task observer counts them), each with
 * its CPU time, CPU self time per event name and the script entry points it ran; longest first.
 */
export function longTasks(events, { minMs = 50 } = {}) {
  const [main] = rendererMainThreads(events);
  if (!main) return { tasks: [], busyMsPerS: 0, cpuMsPerS: 0 };
  const slices = threadSlices(events, main.pid, main.tid);
  const tops = topLevelTasks(slices);
  if (tops.length === 0) return { tasks: [], busyMsPerS: 0, cpuMsPerS: 0 };
  const spanS = (tops.at(-1).ts + tops.at(-1).dur - tops[0].ts) / 1e6;
  const tasks = [];
  let cursor = 0;
  for (const top of tops) {
    if (top.dur < minMs * 1000) continue;
    while (cursor < slices.length && slices[cursor].ts < top.ts) cursor += 1;
    const inside = slicesInside(slices, top, cursor);
    const calls = new Map();
    for (const slice of inside) {
      if (slice.name === 'FunctionCall' || slice.name === 'TimerFire' || slice.name === 'EventDispatch') {
        calls.set(label(slice), (calls.get(label(slice)) ?? 0) + slice.cpu);
      }
    }
    tasks.push({
      atS: (top.ts - tops[0].ts) / 1e6,
      ms: top.dur / 1000,
      cpuMs: top.cpu / 1000,
      selfMs: biggest(selfTimes(top, inside)),
      scriptMs: biggest(calls, 4),
    });
  }
  tasks.sort((a, b) => b.ms - a.ms);
  const total = (key) => tops.reduce((sum, s) => sum + s[key], 0) / 1000 / spanS;
  return { tasks, busyMsPerS: total('dur'), cpuMsPerS: total('cpu') };
}

/** CPU self time per event name over all of the thread's top-level tasks, in ms per second of trace. */
export function busyBreakdown(events) {
  const [main] = rendererMainThreads(events);
  if (!main) return [];
  const slices = threadSlices(events, main.pid, main.tid);
  const tops = topLevelTasks(slices);
  if (tops.length === 0) return [];
  const spanS = (tops.at(-1).ts + tops.at(-1).dur - tops[0].ts) / 1e6;
  const self = new Map();
  let cursor = 0;
  for (const top of tops) {
    while (cursor < slices.length && slices[cursor].ts < top.ts) cursor += 1;
    for (const [name, us] of selfTimes(top, slicesInside(slices, top, cursor))) {
      self.set(name, (self.get(name) ?? 0) + us / spanS);
    }
  }
  return biggest(self, 14);
}

/** A printable report: main-thread load, CPU self time by event, and the long tasks with their breakdown. */
export function describeTrace(title, events) {
  const { tasks, busyMsPerS, cpuMsPerS } = longTasks(events);
  const lines = [
    `${title}: renderer main thread busy ${busyMsPerS.toFixed(0)} ms/s (CPU ${cpuMsPerS.toFixed(0)} ms/s); ` +
      'CPU self time in ms/s by event:',
    `  ${busyBreakdown(events).join(', ')}`,
    `${title}: ${tasks.length} tasks over 50 ms${tasks.length ? ', longest first (CPU self ms by event):' : ''}`,
  ];
  for (const task of tasks.slice(0, 8)) {
    lines.push(
      `  ${task.ms.toFixed(0)} ms (CPU ${task.cpuMs.toFixed(0)}) at ${task.atS.toFixed(1)} s: ${task.selfMs.join(', ')}`,
    );
    if (task.scriptMs.length) lines.push(`      script: ${task.scriptMs.join(', ')}`);
  }
  return lines.join('\n');
}

// `node trace-long-tasks.mjs <trace.json>…` reports on traces written before.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of process.argv.slice(2)) {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    console.log(describeTrace(file, Array.isArray(parsed) ? parsed : parsed.traceEvents));
  }
}
