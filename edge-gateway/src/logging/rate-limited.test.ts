import { describe, expect, it } from '@jest/globals';
import { createLogger } from './logger.js';
import { createRateLimitedWarn } from './rate-limited.js';

describe('createRateLimitedWarn', () => {
  it('logs once per key and interval, then reports how many it suppressed', () => {
    const lines: Record<string, unknown>[] = [];
    let now = 0;
    const warn = createRateLimitedWarn(
      createLogger({ write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) }),
      1000,
      () => now,
    );
    warn.warn('a', 'bad a');
    warn.warn('a', 'bad a');
    warn.warn('b', 'bad b');
    now = 500;
    warn.warn('a', 'bad a');
    now = 1000;
    warn.warn('a', 'bad a', { topic: 't' });
    expect(lines.map((l) => [l.msg, l.suppressedSinceLastLog])).toEqual([
      ['bad a', undefined],
      ['bad b', undefined],
      ['bad a', 2],
    ]);
    expect(lines[2]).toMatchObject({ level: 'warn', topic: 't' });
  });
});
