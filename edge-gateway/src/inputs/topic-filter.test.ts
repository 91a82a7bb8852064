import { describe, expect, it } from '@jest/globals';
import { topicMatches } from './topic-filter.js';

describe('topicMatches', () => {
  it.each([
    ['floorboard/v1/#', 'floorboard/v1/a/b/c/state', true],
    ['floorboard/v1/#', 'floorboard/v1', true],
    ['floorboard/v1/#', 'floorboard/v2/a', false],
    ['floorboard/v1/site/#', 'floorboard/v1/other/b/c/state', false],
    ['ia/+/+/+/state', 'ia/c/l/a/state', true],
    ['ia/+/+/+/state', 'ia/c/l/a/count', false],
    ['ia/+/+/+/state', 'ia/c/l/state', false],
    ['a/b', 'a/b', true],
    ['a/b', 'a/b/c', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
