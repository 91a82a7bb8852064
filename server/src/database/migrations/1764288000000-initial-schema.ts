import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Plant topology, raw station events with dead letters, unplaced stations, users and app secrets. */
export class InitialSchema1764288000000 implements MigrationInterface {
  name = 'InitialSchema1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plant_settings (
        id smallint PRIMARY KEY CHECK (id = 1),
        timezone text NOT NULL,
        production_day_start text NOT NULL,
        micro_stop_seconds integer NOT NULL,
        shifts jsonb NOT NULL DEFAULT '[]',
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE lines (
        key text PRIMARY KEY,
        name text NOT NULL,
        site text NOT NULL,
        ideal_cycle_time_sec double precision NOT NULL CHECK (ideal_cycle_time_sec > 0),
        position integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE stations (
        line_key text NOT NULL REFERENCES lines(key) ON UPDATE CASCADE,
        key text NOT NULL,
        name text NOT NULL,
        ideal_cycle_time_sec double precision NOT NULL CHECK (ideal_cycle_time_sec > 0),
        position integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (line_key, key)
      )`);
    // line_key/station_key are not foreign keys: events from stations missing in the plant file are kept.
    await q.query(`
      CREATE TABLE station_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        gateway_id text NOT NULL,
        seq bigint NOT NULL,
        line_key text NOT NULL,
        station_key text NOT NULL,
        ts timestamptz(3) NOT NULL,
        type text NOT NULL CHECK (type IN ('state', 'count', 'cycle')),
        state text,
        reason text,
        good integer,
        scrap integer,
        cycle_ms integer,
        historical boolean NOT NULL DEFAULT false,
        source text NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT station_events_gateway_seq UNIQUE (gateway_id, seq)
      )`);
    await q.query(`CREATE INDEX station_events_station_ts ON station_events (line_key, station_key, ts)`);
    await q.query(`
      CREATE TABLE ingest_dead_letters (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        gateway_id text NOT NULL,
        seq bigint,
        code text NOT NULL,
        message text NOT NULL,
        payload jsonb NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ingest_dead_letters_received ON ingest_dead_letters (received_at)`);
    await q.query(`
      CREATE TABLE unplaced_stations (
        line_key text NOT NULL,
        station_key text NOT NULL,
        first_seen_at timestamptz(3) NOT NULL DEFAULT now(),
        last_seen_at timestamptz(3) NOT NULL DEFAULT now(),
        event_count bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (line_key, station_key)
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('viewer', 'coordinator', 'planner', 'manager', 'admin')),
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE app_secrets (
        name text PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'app_secrets',
      'users',
      'unplaced_stations',
      'ingest_dead_letters',
      'station_events',
      'stations',
      'lines',
      'plant_settings',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
