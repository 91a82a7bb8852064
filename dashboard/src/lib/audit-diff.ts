/** One field of an audited entity, before and after the change, as display text ('' when absent). */
export interface FieldChange {
  field: string;
  before: string;
  after: string;
  changed: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * The fields of an audit entry's `before` and `after`, in their recorded order (fields only `after` has come
 * last). A creation has no `before`, a deletion no `after`; values that are not objects form one row named ''.
 */
export function diffValues(before: unknown, after: unknown): FieldChange[] {
  const bothRecords = (before == null || isRecord(before)) && (after == null || isRecord(after));
  if (!bothRecords) {
    const [b, a] = [show(before ?? undefined), show(after ?? undefined)];
    return b === '' && a === '' ? [] : [{ field: '', before: b, after: a, changed: b !== a }];
  }
  const from = (before ?? {}) as Record<string, unknown>;
  const to = (after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return fields.map((field) => {
    const b = show(from[field]);
    const a = show(to[field]);
    return { field, before: b, after: a, changed: b !== a };
  });
}
