import { describe, expect, it } from 'vitest';
import type { StopReason } from '@floorboard/shared';
import { buildReasonTree, reasonPath, type ReasonNode } from '../../src/lib/reason-tree';
import { REASONS } from '../support/stops-fixtures';

/** The tree as nested keys, e.g. `['mechanical', ['jam', 'motor-fault']]`. */
const shape = (nodes: ReasonNode[]): unknown[] =>
  nodes.map((n) => (n.children.length === 0 ? n.reason.key : [n.reason.key, shape(n.children)]));
const r = (key: string, parent: string | null): StopReason => ({
  key,
  name: key.toUpperCase(),
  parent,
  category: 'unplanned',
  oeeBucket: 'availability',
});

describe('buildReasonTree', () => {
  it.each([
    {
      name: 'families with their reasons, in catalogue order',
      reasons: REASONS,
      tree: [
        ['mechanical', ['jam', 'motor-fault']],
        ['material', ['no-material']],
        'minor-stop',
        ['changeover', ['product-change']],
      ],
    },
    {
      name: 'a child listed before its parent still hangs under it',
      reasons: [r('leaf', 'family'), r('family', null)],
      tree: [['family', ['leaf']]],
    },
    { name: 'three levels', reasons: [r('a', null), r('b', 'a'), r('c', 'b')], tree: [['a', [['b', ['c']]]]] },
    { name: 'an unknown parent puts the reason at the top', reasons: [r('a', null), r('x', 'gone')], tree: ['a', 'x'] },
    { name: 'reasons in a parent loop go to the top', reasons: [r('a', 'b'), r('b', 'a')], tree: ['a', 'b'] },
    { name: 'a reason that is its own parent', reasons: [r('a', 'a')], tree: ['a'] },
    { name: 'an empty catalogue', reasons: [], tree: [] },
  ])('$name', ({ reasons, tree }) => {
    expect(shape(buildReasonTree(reasons))).toEqual(tree);
  });
});

describe('reasonPath', () => {
  it.each([
    ['jam', ['Mechanical', 'Jam']],
    ['minor-stop', ['Minor stop']],
    ['removed-reason', ['removed-reason']],
  ])('%s → %j', (key, path) => {
    expect(reasonPath(key, REASONS)).toEqual(path);
  });

  it('stops at a parent loop', () => {
    expect(reasonPath('a', [r('a', 'b'), r('b', 'a')])).toEqual(['B', 'A']);
  });
});
