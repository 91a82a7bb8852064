import { describe, expect, it } from '@jest/globals';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('writes one JSON object per line with level, time, msg and fields, honouring the level', () => {
    const out: string[] = [];
    const log = createLogger({ level: 'info', write: (l) => out.push(l), fields: { gatewayId: 'gw-1' } });
    log.debug('hidden');
    log.child({ component: 'sink' }).warn('retrying', { delayMs: 200, error: new Error('boom') });
    expect(out).toHaveLength(1);
    expect(out[0]?.endsWith('\n')).toBe(true);
    const line = JSON.parse(out[0] as string) as Record<string, unknown>;
    expect(line).toEqual({
      level: 'warn',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      msg: 'retrying',
      gatewayId: 'gw-1',
      component: 'sink',
      delayMs: 200,
      error: 'boom',
    });
  });
});
