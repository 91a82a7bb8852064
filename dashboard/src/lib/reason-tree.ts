import type { StopReason } from '@floorboard/shared';

/** A catalogue reason with the reasons filed under it, in catalogue order. */
export interface ReasonNode {
  reason: StopReason;
  children: ReasonNode[];
}

/**
 * The catalogue's flat list (`GET /reasons`) as a tree, keeping the list's order at every level. A reason
 * whose parent is missing from the list is shown at the top rather than lost, and so are the reasons of a
 * parent loop (the server refuses those; this only keeps a bad copy from hiding reasons).
 */
export function buildReasonTree(reasons: readonly StopReason[]): ReasonNode[] {
  const nodes = new Map(reasons.map((reason) => [reason.key, { reason, children: [] as ReasonNode[] }]));
  const roots: ReasonNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.reason.parent === null ? undefined : nodes.get(node.reason.parent);
    if (parent && !isAncestor(node, parent, nodes)) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** True when `node` is `candidate` or above it, i.e. hanging `node` under `candidate` would close a loop. */
function isAncestor(node: ReasonNode, candidate: ReasonNode, nodes: Map<string, ReasonNode>): boolean {
  const seen = new Set<string>();
  for (let at: ReasonNode | undefined = candidate; at && !seen.has(at.reason.key);) {
    if (at === node) return true;
    seen.add(at.reason.key);
    at = at.reason.parent === null ? undefined : nodes.get(at.reason.parent);
  }
  return false;
}

/**
 * A reason's names from its family down (`['Mechanical', 'Jam']`); the bare key when the catalogue does not
 * know it (removed since, or not loaded yet).
 */
export function reasonPath(key: string, reasons: readonly StopReason[]): string[] {
  const byKey = new Map(reasons.map((r) => [r.key, r]));
  const names: string[] = [];
  const seen = new Set<string>();
  for (let at = byKey.get(key); at && !seen.has(at.key); at = at.parent === null ? undefined : byKey.get(at.parent)) {
    seen.add(at.key);
    names.unshift(at.name);
  }
  return names.length > 0 ? names : [key];
}
