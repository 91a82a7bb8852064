import type { MigrationInterface, QueryRunner } from 'typeorm';

type Seed = [key: string, name: string, parent: string | null, category: 'planned' | 'unplanned', bucket: string];

/** The default reason catalogue: families with their leaves; every key is unique across the catalogue. */
const DEFAULT_REASONS: Seed[] = [
  ['mechanical', 'Mechanical', null, 'unplanned', 'availability'],
  ['jam', 'Jam', 'mechanical', 'unplanned', 'availability'],
  ['motor-fault', 'Motor fault', 'mechanical', 'unplanned', 'availability'],
  ['tool-breakage', 'Tool breakage', 'mechanical', 'unplanned', 'availability'],
  ['tool-wear', 'Tool wear', 'mechanical', 'unplanned', 'availability'],
  ['electrical', 'Electrical', null, 'unplanned', 'availability'],
  ['sensor-fault', 'Sensor fault', 'electrical', 'unplanned', 'availability'],
  ['power-loss', 'Power loss', 'electrical', 'unplanned', 'availability'],
  ['material', 'Material', null, 'unplanned', 'availability'],
  ['no-material', 'No material', 'material', 'unplanned', 'availability'],
  ['wrong-material', 'Wrong material', 'material', 'unplanned', 'availability'],
  ['quality', 'Quality', null, 'unplanned', 'quality'],
  ['quality-check', 'Quality check', 'quality', 'unplanned', 'quality'],
  ['out-of-tolerance', 'Out of tolerance', 'quality', 'unplanned', 'quality'],
  ['rework', 'Rework', 'quality', 'unplanned', 'quality'],
  ['operator', 'Operator', null, 'unplanned', 'availability'],
  ['no-operator', 'No operator', 'operator', 'unplanned', 'availability'],
  ['operator-stop', 'Operator stop', 'operator', 'unplanned', 'availability'],
  ['minor-stop', 'Minor stop', null, 'unplanned', 'performance'],
  ['changeover', 'Changeover', null, 'planned', 'availability'],
  ['product-change', 'Product change', 'changeover', 'planned', 'availability'],
  ['cleaning', 'Cleaning', 'changeover', 'planned', 'availability'],
  ['planned-maintenance', 'Planned maintenance', null, 'planned', 'excluded'],
  ['break', 'Break', null, 'planned', 'excluded'],
  ['other', 'Other', null, 'unplanned', 'availability'],
];

/**
 * Stop reasons (catalogue), coordinators' stop classifications and split points, andon rules and alerts.
 * A stop is identified by (line, station, start): stops are derived from the state events, not stored.
 */
export class StopsAndAndon1764320000000 implements MigrationInterface {
  name = 'StopsAndAndon1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stop_reasons (
        key text PRIMARY KEY,
        name text NOT NULL,
        parent_key text REFERENCES stop_reasons(key),
        category text NOT NULL CHECK (category IN ('planned', 'unplanned')),
        oee_bucket text NOT NULL CHECK (oee_bucket IN ('availability', 'performance', 'quality', 'excluded')),
        position integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(
      `INSERT INTO stop_reasons (key, name, parent_key, category, oee_bucket, position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])`,
      [...[0, 1, 2, 3, 4].map((i) => DEFAULT_REASONS.map((r) => r[i])), DEFAULT_REASONS.map((_, i) => i + 1)],
    );
    // One row per classified stop, or per part of a split stop (split = true: a part begins at start_ts).
    await q.query(`
      CREATE TABLE stop_classifications (
        line_key text NOT NULL,
        station_key text NOT NULL,
        start_ts timestamptz(3) NOT NULL,
        reason_key text NOT NULL REFERENCES stop_reasons(key),
        split boolean NOT NULL DEFAULT false,
        classified_by text NOT NULL,
        classified_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (line_key, station_key, start_ts)
      )`);
    await q.query(`CREATE INDEX stop_classifications_reason ON stop_classifications (reason_key)`);
    await q.query(`
      CREATE TABLE andon_rules (
        kind text PRIMARY KEY CHECK (kind IN ('station-down', 'station-offline', 'gateway-offline')),
        enabled boolean NOT NULL,
        threshold_seconds integer NOT NULL CHECK (threshold_seconds >= 0),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO andon_rules (kind, enabled, threshold_seconds) VALUES
        ('station-down', true, 300), ('station-offline', true, 600), ('gateway-offline', true, 60)`);
    await q.query(`
      CREATE TABLE andon_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        rule text NOT NULL,
        subject text NOT NULL,
        lines text[] NOT NULL DEFAULT '{}',
        station_key text,
        gateway_id text,
        message text NOT NULL,
        since timestamptz(3) NOT NULL,
        raised_at timestamptz(3) NOT NULL DEFAULT now(),
        cleared_at timestamptz(3),
        acknowledged_at timestamptz(3),
        acknowledged_by text
      )`);
    // At most one open alert per rule and subject (a station or a gateway).
    await q.query(`CREATE UNIQUE INDEX andon_alerts_open ON andon_alerts (rule, subject) WHERE cleared_at IS NULL`);
    await q.query(`CREATE INDEX andon_alerts_raised ON andon_alerts (raised_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE andon_alerts`);
    await q.query(`DROP TABLE andon_rules`);
    await q.query(`DROP TABLE stop_classifications`);
    await q.query(`DROP TABLE stop_reasons`);
  }
}
