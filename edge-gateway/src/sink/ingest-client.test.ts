import { describe, expect, it } from '@jest/globals';
import type { StationEvent } from '@floorboard/shared';
import { ingestBody } from './ingest-client.js';

describe('ingestBody', () => {
  it('is byte for byte JSON.stringify of the envelope, built from the stored event JSON', () => {
    const events: StationEvent[] = [
      {
        gatewayId: 'gw "1"',
        seq: 1,
        line: 'l',
        station: 's',
        ts: 1_764_316_800_000,
        type: 'state',
        state: 'down',
        reason: 'jam ü \\ ,"x"]}',
        source: 'floorboard-json',
      },
      { gatewayId: 'gw "1"', seq: 2, line: 'l', station: 's', ts: 1, type: 'count', good: 3, source: 'umh' },
    ];
    const body = ingestBody(
      'gw "1"',
      events.map((e) => JSON.stringify(e)),
    );
    expect(body).toBe(JSON.stringify({ gatewayId: 'gw "1"', events }));
    expect(ingestBody('gw', [])).toBe(JSON.stringify({ gatewayId: 'gw', events: [] }));
  });
});
