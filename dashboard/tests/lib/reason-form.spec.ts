import { describe, expect, it } from 'vitest';
import type { StopReason } from '@floorboard/shared';
import { keyProblem, nameProblem, parentChoices, reasonRows, suggestReasonKey } from '../../src/lib/reason-form';

const reason = (key: string, parent: string | null = null): StopReason => ({
  key,
  name: key.toUpperCase(),
  parent,
  category: 'unplanned',
  oeeBucket: 'availability',
});

const catalogue = [
  reason('mechanical'),
  reason('jam', 'mechanical'),
  reason('break'),
  reason('motor-fault', 'mechanical'),
  reason('bearing', 'motor-fault'),
];

describe('suggestReasonKey', () => {
  it.each([
    ['Belt slip', 'belt-slip'],
    ['  Motor  fault!! ', 'motor-fault'],
    ['Bandriss (Förderer)', 'bandriss-foerderer'],
    ['Straße blockiert', 'strasse-blockiert'],
    ['Café crème', 'cafe-creme'],
    ['E-17 spindle', 'e-17-spindle'],
    ['—', ''],
    ['x'.repeat(70), 'x'.repeat(64)],
    [`${'a'.repeat(63)} b`, 'a'.repeat(63)],
  ])('%s → %s', (name, key) => {
    expect(suggestReasonKey(name)).toBe(key);
  });
});

describe('keyProblem and nameProblem', () => {
  it.each([
    ['belt-slip', null],
    ['', 'keyMissing'],
    ['Belt', 'keyPattern'],
    ['belt--slip', 'keyPattern'],
    ['-belt', 'keyPattern'],
    ['belt_slip', 'keyPattern'],
    ['a'.repeat(65), 'keyTooLong'],
    ['jam', 'keyTaken'],
  ])('key %s → %s', (key, problem) => {
    expect(keyProblem(key, catalogue)).toBe(problem);
  });

  it.each([
    ['Belt slip', null],
    ['   ', 'nameMissing'],
    ['x'.repeat(101), 'nameTooLong'],
    [`  ${'x'.repeat(100)}  `, null],
    ['Belt\u0007slip', 'nameControl'],
  ])('name %j → %s', (name, problem) => {
    expect(nameProblem(name)).toBe(problem);
  });
});

describe('reasonRows and parentChoices', () => {
  it('lists each family followed by what is filed under it, with depth and child count', () => {
    expect(reasonRows(catalogue).map((r) => [r.reason.key, r.depth, r.children])).toEqual([
      ['mechanical', 0, 2],
      ['jam', 1, 0],
      ['motor-fault', 1, 1],
      ['bearing', 2, 0],
      ['break', 0, 0],
    ]);
  });

  it('never offers a reason itself or anything below it as its new parent', () => {
    const keys = (key: string | null) => parentChoices(catalogue, key).map((r) => r.reason.key);
    expect(keys('mechanical')).toEqual(['break']);
    expect(keys('motor-fault')).toEqual(['mechanical', 'jam', 'break']);
    expect(keys(null)).toEqual(['mechanical', 'jam', 'motor-fault', 'bearing', 'break']);
  });
});
