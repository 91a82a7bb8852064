import { describe, expect, it } from '@jest/globals';
import { RecentKeys } from './recent-keys.js';

describe('RecentKeys', () => {
  it('finds the newest key of each packet id and forgets the one it replaced', () => {
    const keys = new RecentKeys<string>(10);
    keys.set('17:aaaaaaaaaaaaaaaa', 'first');
    keys.set('18:bbbbbbbbbbbbbbbb', 'other id');
    expect(keys.get('17:aaaaaaaaaaaaaaaa')).toBe('first');
    // The broker reuses id 17 only once it has our PUBACK for the first message, which it then never redelivers.
    keys.set('17:cccccccccccccccc', 'second');
    expect(keys.get('17:aaaaaaaaaaaaaaaa')).toBeUndefined();
    expect(keys.get('17:cccccccccccccccc')).toBe('second');
    expect(keys.get('18:bbbbbbbbbbbbbbbb')).toBe('other id');
    expect(keys.get('19:cccccccccccccccc')).toBeUndefined();
    keys.delete('17:aaaaaaaaaaaaaaaa'); // not the current key of id 17: nothing happens
    expect(keys.get('17:cccccccccccccccc')).toBe('second');
    keys.delete('17:cccccccccccccccc');
    expect(keys.get('17:cccccccccccccccc')).toBeUndefined();
  });

  it('keeps packet ids 1 and 65535 apart from keys of another shape', () => {
    const keys = new RecentKeys<number>(10);
    keys.set('1:x', 1);
    keys.set('65535:x', 65535);
    keys.set('65536:x', 65536); // not a packet id: kept in the maps
    keys.set(':x', 0);
    keys.set('abc', 3);
    expect([keys.get('1:x'), keys.get('65535:x'), keys.get('65536:x'), keys.get(':x'), keys.get('abc')]).toEqual([
      1, 65535, 65536, 0, 3,
    ]);
  });

  it('remembers at least the newest `limit` keys of another shape', () => {
    const keys = new RecentKeys<number>(3);
    for (let i = 0; i < 10; i++) keys.set(`k${i}`, i);
    for (let i = 7; i < 10; i++) expect(keys.get(`k${i}`)).toBe(i);
    expect(keys.get('k0')).toBeUndefined();
  });
});
