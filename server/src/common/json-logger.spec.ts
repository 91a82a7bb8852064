import { JsonLogger } from './json-logger.js';

describe('JsonLogger', () => {
  const capture = (level: 'error' | 'warn' | 'info' | 'debug' = 'info') => {
    const lines: Record<string, unknown>[] = [];
    const logger = new JsonLogger(level, (line) => lines.push(JSON.parse(line)));
    return { logger, lines };
  };

  it('writes one JSON object per call with level, time, context and message', () => {
    const { logger, lines } = capture();
    logger.log('server ready', 'Bootstrap');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', context: 'Bootstrap', msg: 'server ready' });
    expect(Date.parse(lines[0]!.time as string)).not.toBeNaN();
  });

  it('merges object messages into the line', () => {
    const { logger, lines } = capture();
    logger.warn({ msg: 'rejected', code: 'EVENT_INVALID', count: 3 }, 'Ingest');
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'rejected', code: 'EVENT_INVALID', count: 3 });
  });

  it('keeps the stack of errors', () => {
    const { logger, lines } = capture();
    logger.error('boom', 'Error: boom\n  at x', 'Ingest');
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'boom', stack: 'Error: boom\n  at x', context: 'Ingest' });
  });

  it("demotes Nest's start-up chatter to debug", () => {
    const { logger, lines } = capture('info');
    logger.log('Mapped {/api/v1/lines, GET} route', 'RouterExplorer');
    expect(lines).toEqual([]);
  });

  it('drops messages below the configured level', () => {
    const { logger, lines } = capture('warn');
    logger.log('chatty');
    logger.debug('chattier');
    logger.warn('important');
    expect(lines.map((l) => l.msg)).toEqual(['important']);
  });
});
