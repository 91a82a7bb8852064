import { REASON_KEY_MAX, REASON_KEY_PATTERN, type StopReason } from '@floorboard/shared';
import { buildReasonTree, type ReasonNode } from './reason-tree';

/** The server's bounds for a reason's name (CreateReasonDto): 1–100 characters, no control characters. */
export const REASON_NAME_MAX = 100;
const CONTROL_CHARACTERS = /\p{C}/u;

export type ReasonKeyProblem = 'keyMissing' | 'keyPattern' | 'keyTooLong' | 'keyTaken';
export type ReasonNameProblem = 'nameMissing' | 'nameTooLong' | 'nameControl';

const GERMAN_LETTERS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/**
 * A key suggested from a name: lowercase, umlauts spelt out, other accents dropped, anything else a hyphen
 * (`Bandriss (Förderer)` → `bandriss-foerderer`). The person may still type another one.
 */
export function suggestReasonKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[äöüß]/g, (letter) => GERMAN_LETTERS[letter]!)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, REASON_KEY_MAX)
    .replace(/-+$/, '');
}

/** What is wrong with a new reason's key; keys are unique across the whole catalogue. */
export function keyProblem(key: string, reasons: readonly StopReason[]): ReasonKeyProblem | null {
  if (key === '') return 'keyMissing';
  if (key.length > REASON_KEY_MAX) return 'keyTooLong';
  if (!REASON_KEY_PATTERN.test(key)) return 'keyPattern';
  if (reasons.some((reason) => reason.key === key)) return 'keyTaken';
  return null;
}

/** What is wrong with a name as it will be sent (trimmed). */
export function nameProblem(name: string): ReasonNameProblem | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'nameMissing';
  if (trimmed.length > REASON_NAME_MAX) return 'nameTooLong';
  if (CONTROL_CHARACTERS.test(trimmed)) return 'nameControl';
  return null;
}

/** One row of the catalogue as a table: the reason, its depth, and how many reasons hang directly under it. */
export interface ReasonRow {
  reason: StopReason;
  depth: number;
  children: number;
}

/** The catalogue tree flattened in display order (each family followed by what is filed under it). */
export function reasonRows(reasons: readonly StopReason[]): ReasonRow[] {
  const walk = (nodes: ReasonNode[], depth: number): ReasonRow[] =>
    nodes.flatMap((node) => [
      { reason: node.reason, depth, children: node.children.length },
      ...walk(node.children, depth + 1),
    ]);
  return walk(buildReasonTree(reasons), 0);
}

/**
 * The reasons `key` may be moved under: every reason except itself and those below it (the server refuses
 * those with `REASON_PARENT_CYCLE`). Without a key (a new reason) every reason may be the parent.
 */
export function parentChoices(reasons: readonly StopReason[], key: string | null): ReasonRow[] {
  const below = new Set<string>(key === null ? [] : [key]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const reason of reasons) {
      if (reason.parent !== null && below.has(reason.parent) && !below.has(reason.key)) {
        below.add(reason.key);
        grew = true;
      }
    }
  }
  return reasonRows(reasons).filter((row) => !below.has(row.reason.key));
}
