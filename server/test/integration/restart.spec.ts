import type { LineLive } from '@floorboard/shared';
import { restartableStorage, startTestServer, type TestServer } from '../support/test-server.js';
import { stationEvent, TEST_PLANT } from '../support/fixtures.js';

/** Embedded mode persists under the data dir; real PostgreSQL keeps the suite's schema between the two boots. */
describe('restart keeps the data', () => {
  const { dataDir, schema, release } = restartableStorage('restart');
  let server: TestServer | undefined;

  afterAll(() => release(server));

  it("rebuilds live state, since-when and today's counts from the database", async () => {
    const now = Date.now();
    server = await startTestServer({ plant: TEST_PLANT, dataDir, schema });
    await server
      .ingest({
        gatewayId: 'gw-test',
        events: [
          stationEvent({ seq: 1, station: 'first', state: 'running', ts: now - 60_000 }),
          stationEvent({ seq: 2, station: 'first', state: 'running', ts: now - 30_000 }),
          stationEvent({ seq: 3, station: 'middle', state: 'down', reason: 'motor fault', ts: now - 20_000 }),
          stationEvent({ seq: 4, station: 'last', type: 'count', state: undefined, good: 7, scrap: 2, ts: now - 1000 }),
        ],
      })
      .expect(200);
    const before = (await server.get('/api/v1/lines/line-a/live').expect(200)).body as LineLive;
    await server.close();

    server = await startTestServer({ plant: TEST_PLANT, dataDir, schema });
    const after = (await server.get('/api/v1/lines/line-a/live').expect(200)).body as LineLive;
    expect(after.stations).toEqual(before.stations);
    expect(after.stations[0]).toMatchObject({ state: 'running', since: now - 60_000 });
    expect(after.stations[1]).toMatchObject({ state: 'down', reason: 'motor fault', since: now - 20_000 });
    expect(after.stations[2]).toMatchObject({ good: 7, scrap: 2 });
    // The same batch again after the restart is recognised as already committed.
    const again = await server
      .ingest({ gatewayId: 'gw-test', events: [stationEvent({ seq: 1, station: 'first', ts: now - 60_000 })] })
      .expect(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
  });
});
