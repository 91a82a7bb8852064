/**
 * The wall's address options and paging maths. `?lines=a,b` picks and orders lines, `?rotate=<seconds>`
 * sets how long a page stays before the next one when the lines do not fit on one screen, `?rows=<n>` caps
 * the lines per page (fewer, larger rows for a screen far away).
 */

export const DEFAULT_ROTATE_SECONDS = 20;
export const MIN_ROTATE_SECONDS = 5;
export const MAX_ROTATE_SECONDS = 3600;
export const MAX_ROWS = 24;

export interface WallOptions {
  /** Line keys in the order asked for; null shows every line in the plant's order. */
  lines: string[] | null;
  rotateSeconds: number;
  /** `?rotate` was given but not a whole number of seconds in range: the default is used instead. */
  badRotate: string | null;
  /** At most this many lines per page; null: as many as fit. */
  rows: number | null;
  /** `?rows` was given but not a whole number from 1 to MAX_ROWS: ignored. */
  badRows: string | null;
}

/** A whole number within [min, max], or null. */
function wholeInRange(text: string, min: number, max: number): number | null {
  const value = Number(text);
  return text.trim() !== '' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

function single(value: unknown): string | null {
  if (Array.isArray(value)) return single(value[0]);
  return typeof value === 'string' ? value : null;
}

/** Reads `?lines=`, `?rotate=` and `?rows=` from a route query; repeated keys in `lines` are dropped. */
export function parseWallOptions(query: Record<string, unknown>): WallOptions {
  const linesParam = single(query.lines);
  const keys = linesParam
    ?.split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  const rotateParam = single(query.rotate);
  const rotate = rotateParam === null ? null : wholeInRange(rotateParam, MIN_ROTATE_SECONDS, MAX_ROTATE_SECONDS);
  const rowsParam = single(query.rows);
  const rows = rowsParam === null ? null : wholeInRange(rowsParam, 1, MAX_ROWS);
  return {
    lines: keys && keys.length > 0 ? [...new Set(keys)] : null,
    rotateSeconds: rotate ?? DEFAULT_ROTATE_SECONDS,
    badRotate: rotateParam !== null && rotate === null ? rotateParam : null,
    rows,
    badRows: rowsParam !== null && rows === null ? rowsParam : null,
  };
}

/** The lines to show, in the asked order, and the asked keys the plant does not have. */
export function selectLines<T extends { key: string }>(
  all: readonly T[],
  wanted: readonly string[] | null,
): { lines: T[]; unknown: string[] } {
  if (!wanted) return { lines: [...all], unknown: [] };
  const byKey = new Map(all.map((line) => [line.key, line]));
  return {
    lines: wanted.flatMap((key) => byKey.get(key) ?? []),
    unknown: wanted.filter((key) => !byKey.has(key)),
  };
}

/**
 * How many line rows fit into `availablePx` when a row needs at least `minRowPx` and rows are `gapPx` apart.
 * Always at least one: a tiny window still shows something.
 */
export function linesPerPage(availablePx: number, minRowPx: number, gapPx: number): number {
  if (!(availablePx > 0) || !(minRowPx > 0)) return 1;
  return Math.max(1, Math.floor((availablePx + gapPx) / (minRowPx + gapPx)));
}

export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, perPage)));
}

/**
 * The lines of page `page` (0-based). Pages are balanced, so 13 lines at 12 per page give 7 + 6 rather
 * than 12 + 1 and rows keep a similar height from page to page.
 */
export function pageItems<T>(items: readonly T[], page: number, perPage: number): T[] {
  const pages = pageCount(items.length, perPage);
  const index = ((page % pages) + pages) % pages;
  const base = Math.floor(items.length / pages);
  const extra = items.length % pages;
  const start = index * base + Math.min(index, extra);
  return items.slice(start, start + base + (index < extra ? 1 : 0));
}
