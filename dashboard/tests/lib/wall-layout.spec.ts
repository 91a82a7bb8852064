import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROTATE_SECONDS,
  linesPerPage,
  pageCount,
  pageItems,
  parseWallOptions,
  selectLines,
} from '../../src/lib/wall-layout';

describe('wall options from the address', () => {
  it.each([
    [{}, { lines: null, rotateSeconds: DEFAULT_ROTATE_SECONDS, badRotate: null, rows: null, badRows: null }],
    [{ lines: 'b,a' }, { lines: ['b', 'a'] }],
    [{ lines: ' b , a,,b ' }, { lines: ['b', 'a'] }],
    [{ lines: '' }, { lines: null }],
    [{ rotate: '30' }, { rotateSeconds: 30, badRotate: null }],
    [{ rotate: '2' }, { rotateSeconds: DEFAULT_ROTATE_SECONDS, badRotate: '2' }],
    [{ rotate: '7.5' }, { rotateSeconds: DEFAULT_ROTATE_SECONDS, badRotate: '7.5' }],
    [{ rotate: 'soon' }, { rotateSeconds: DEFAULT_ROTATE_SECONDS, badRotate: 'soon' }],
    [{ rows: '4' }, { rows: 4, badRows: null }],
    [{ rows: '0' }, { rows: null, badRows: '0' }],
    [{ rows: ['3', '5'] }, { rows: 3 }],
  ])('%j → %j', (query, expected) => {
    expect(parseWallOptions(query)).toMatchObject(expected);
  });

  it('keeps the asked order and names the keys the plant does not have', () => {
    const all = [{ key: 'a' }, { key: 'b' }, { key: 'c' }];
    expect(selectLines(all, ['c', 'x', 'a'])).toEqual({ lines: [{ key: 'c' }, { key: 'a' }], unknown: ['x'] });
    expect(selectLines(all, null)).toEqual({ lines: all, unknown: [] });
  });
});

describe('wall paging maths', () => {
  it.each([
    // 1080p: ~1020 px for rows, 75.6 px minimum row, 4.3 px gap → 12 rows.
    [1020, 75.6, 4.3, 12],
    // 4K: the same shares at twice the pixels → the same 12 rows.
    [2040, 151.2, 8.6, 12],
    [75, 75.6, 4.3, 1],
    [0, 75.6, 4.3, 1],
    [400, 100, 0, 4],
    [399, 100, 0, 3],
  ])('%d px at %d px per row and %d px gap → %d rows', (available, row, gap, expected) => {
    expect(linesPerPage(available, row, gap)).toBe(expected);
  });

  it.each([
    [0, 12, 1],
    [12, 12, 1],
    [13, 12, 2],
    [25, 12, 3],
    [5, 0, 5],
  ])('%d lines at %d per page → %d pages', (total, perPage, expected) => {
    expect(pageCount(total, perPage)).toBe(expected);
  });

  it('balances the pages and shows every line exactly once', () => {
    const lines = Array.from({ length: 13 }, (_, i) => i);
    expect(pageItems(lines, 0, 12)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(pageItems(lines, 1, 12)).toEqual([7, 8, 9, 10, 11, 12]);
    for (const [total, perPage] of [
      [1, 1],
      [7, 3],
      [25, 12],
      [24, 12],
    ]) {
      const items = Array.from({ length: total }, (_, i) => i);
      const pages = pageCount(total, perPage);
      const seen = Array.from({ length: pages }, (_, page) => pageItems(items, page, perPage));
      expect(seen.flat()).toEqual(items);
      expect(Math.max(...seen.map((page) => page.length))).toBeLessThanOrEqual(perPage);
    }
  });

  it('wraps the page number around', () => {
    expect(pageItems([1, 2, 3, 4], 2, 2)).toEqual([1, 2]);
    expect(pageItems([1, 2, 3, 4], -1, 2)).toEqual([3, 4]);
  });
});
