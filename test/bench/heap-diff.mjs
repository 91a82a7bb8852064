#!/usr/bin/env node
// What grew between two V8 heap snapshots of the same process (e.g. from live-load.mjs --heap-snapshots 3,13):
// self size and count per node type and constructor name, largest growth first, and for the largest few what holds
// them (the first retainer chain, grouped).
//
//   node test/bench/heap-diff.mjs Heap.…001.heapsnapshot Heap.…002.heapsnapshot [--top 25] [--chains 4]
//
// Snapshots of a loaded server are ~60–100 MB of JSON: give node room (--max-old-space-size=4096).
import fs from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const [beforeFile, afterFile] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!beforeFile || !afterFile) throw new Error('usage: heap-diff.mjs <before.heapsnapshot> <after.heapsnapshot>');
const top = option('top', 25);
const chainsOf = option('chains', 4);

function load(file) {
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields;
  return {
    ...snapshot,
    stride: fields.length,
    edgeStride: meta.edge_fields.length,
    nodeTypes: meta.node_types[0],
    edgeTypes: meta.edge_types[0],
    at: Object.fromEntries(fields.map((f, i) => [f, i])),
    edgeAt: Object.fromEntries(meta.edge_fields.map((f, i) => [f, i])),
  };
}

/** A node's group: its type and, where it names a constructor or kind, that name (strings and numbers pooled). */
function groupOf(s, n) {
  const type = s.nodeTypes[s.nodes[n * s.stride + s.at.type]];
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number') {
    return type;
  }
  return `${type}:${String(s.strings[s.nodes[n * s.stride + s.at.name]]).slice(0, 60)}`;
}

function sizes(s) {
  const groups = new Map();
  let total = 0;
  for (let n = 0; n < s.nodes.length / s.stride; n++) {
    const size = s.nodes[n * s.stride + s.at.self_size];
    const key = groupOf(s, n);
    const g = groups.get(key) ?? { count: 0, size: 0 };
    g.count++;
    g.size += size;
    total += size;
    groups.set(key, g);
  }
  return { groups, total };
}

/** For the nodes of `group`: their first (non-weak) retainer chains, `depth` deep, counted. */
function retainerChains(s, group, depth = 4) {
  const firstRetainer = new Map();
  let e = 0;
  for (let n = 0; n < s.nodes.length / s.stride; n++) {
    const edges = s.nodes[n * s.stride + s.at.edge_count];
    for (let k = 0; k < edges; k++, e += s.edgeStride) {
      const type = s.edgeTypes[s.edges[e + s.edgeAt.type]];
      const to = s.edges[e + s.edgeAt.to_node] / s.stride;
      if (type === 'weak' || firstRetainer.has(to)) continue;
      const label = type === 'element' || type === 'hidden' ? '[]' : s.strings[s.edges[e + s.edgeAt.name_or_index]];
      firstRetainer.set(to, [n, label]);
    }
  }
  const chains = new Map();
  for (let n = 0; n < s.nodes.length / s.stride; n++) {
    if (groupOf(s, n) !== group) continue;
    const links = [];
    for (let cur = n, d = 0; d < depth && firstRetainer.has(cur); d++) {
      const [from, label] = firstRetainer.get(cur);
      links.push(`.${label} of ${groupOf(s, from)}`);
      cur = from;
    }
    const chain = links.join(' ');
    chains.set(chain, (chains.get(chain) ?? 0) + 1);
  }
  return [...chains].sort((a, b) => b[1] - a[1]).slice(0, 3);
}

const before = sizes(load(beforeFile));
const afterSnapshot = load(afterFile);
const after = sizes(afterSnapshot);
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(`heap (self sizes): ${mb(before.total)} → ${mb(after.total)} (${mb(after.total - before.total)})`);
const rows = [...new Set([...before.groups.keys(), ...after.groups.keys()])]
  .map((key) => {
    const b = before.groups.get(key) ?? { count: 0, size: 0 };
    const a = after.groups.get(key) ?? { count: 0, size: 0 };
    return { key, size: a.size - b.size, count: a.count - b.count, now: a };
  })
  .sort((x, y) => y.size - x.size);
for (const r of rows.slice(0, top)) {
  console.log(
    `${`${(r.size / 1e3).toFixed(0)} KB`.padStart(10)} ${`${r.count >= 0 ? '+' : ''}${r.count}`.padStart(9)} nodes` +
      `  (now ${r.now.count}, ${(r.now.size / 1e3).toFixed(0)} KB)  ${r.key}`,
  );
}
for (const r of rows.slice(0, chainsOf).filter((row) => row.count > 0 && !row.key.startsWith('code'))) {
  console.log(`\nheld by (${r.key}):`);
  for (const [chain, count] of retainerChains(afterSnapshot, r.key)) console.log(`  ${count} × ${chain}`);
}
