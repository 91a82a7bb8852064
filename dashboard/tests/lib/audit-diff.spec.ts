import { describe, expect, it } from 'vitest';
import { diffValues } from '../../src/lib/audit-diff';

describe('diffValues', () => {
  it.each([
    [
      'an update',
      { role: 'viewer', disabled: false },
      { role: 'admin', disabled: false },
      [
        { field: 'role', before: 'viewer', after: 'admin', changed: true },
        { field: 'disabled', before: 'false', after: 'false', changed: false },
      ],
    ],
    [
      'a creation',
      null,
      { name: 'Hall 2', id: 7 },
      [
        { field: 'name', before: '', after: 'Hall 2', changed: true },
        { field: 'id', before: '', after: '7', changed: true },
      ],
    ],
    ['a deletion', { name: 'x' }, null, [{ field: 'name', before: 'x', after: '', changed: true }]],
    [
      'nested values and new fields',
      { a: { b: 1 } },
      { a: { b: 2 }, c: [1] },
      [
        { field: 'a', before: '{"b":1}', after: '{"b":2}', changed: true },
        { field: 'c', before: '', after: '[1]', changed: true },
      ],
    ],
    ['plain values', 'old', 'new', [{ field: '', before: 'old', after: 'new', changed: true }]],
    ['nothing recorded', null, null, []],
  ])('%s', (_label, before, after, expected) => {
    expect(diffValues(before, after)).toEqual(expected);
  });
});
