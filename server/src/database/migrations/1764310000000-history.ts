import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History for fast KPI queries: `state_intervals` (one row per state event, per-event form: a repeat of the
 * same state starts a row too, so a late event splits exactly the row it lands in; readers merge touching
 * rows of the same state with shared `mergeIntervals`) and `production_minutes` (good and scrap per station
 * and minute). Both are maintained in the ingest transaction; existing events are backfilled here.
 */
export class History1764310000000 implements MigrationInterface {
  name = 'History1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE state_intervals (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        line_key text NOT NULL,
        station_key text NOT NULL,
        state text NOT NULL,
        reason text,
        start_ts timestamptz(3) NOT NULL,
        end_ts timestamptz(3),
        historical boolean NOT NULL DEFAULT false,
        CONSTRAINT state_intervals_station_start UNIQUE (line_key, station_key, start_ts),
        CONSTRAINT state_intervals_ordered CHECK (end_ts IS NULL OR end_ts > start_ts)
      )`);
    await q.query(`CREATE INDEX state_intervals_station_end ON state_intervals (line_key, station_key, end_ts)`);
    await q.query(`
      CREATE TABLE production_minutes (
        line_key text NOT NULL,
        station_key text NOT NULL,
        minute_ts timestamptz(3) NOT NULL,
        good bigint NOT NULL DEFAULT 0,
        scrap bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (line_key, station_key, minute_ts)
      )`);
    // Backfill: per station and instant the last event received wins; each row runs to the next one.
    await q.query(`
      INSERT INTO state_intervals (line_key, station_key, state, reason, start_ts, end_ts, historical)
      SELECT line_key, station_key, state, reason, ts,
             lead(ts) OVER (PARTITION BY line_key, station_key ORDER BY ts), historical
        FROM (SELECT DISTINCT ON (line_key, station_key, ts) line_key, station_key, state, reason, ts, historical
                FROM station_events WHERE type = 'state' AND state IS NOT NULL
               ORDER BY line_key, station_key, ts, id DESC) latest`);
    await q.query(`
      INSERT INTO production_minutes (line_key, station_key, minute_ts, good, scrap)
      SELECT line_key, station_key, date_trunc('minute', ts), sum(COALESCE(good, 0)), sum(COALESCE(scrap, 0))
        FROM station_events WHERE type = 'count'
       GROUP BY line_key, station_key, date_trunc('minute', ts)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE production_minutes`);
    await q.query(`DROP TABLE state_intervals`);
  }
}
