import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATION_KINDS = `'station-down', 'station-offline', 'gateway-offline'`;
const ALL_KINDS = `${STATION_KINDS}, 'line-below-target', 'bottleneck-moved'`;

/**
 * The line andon rules: `line-below-target` (with its percentage) and `bottleneck-moved`, and on alerts the
 * station a bottleneck moved from and the rate in % of target when a line alert was raised.
 */
export class LineAndonRules1764330000000 implements MigrationInterface {
  name = 'LineAndonRules1764330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE andon_rules DROP CONSTRAINT andon_rules_kind_check`);
    await q.query(`ALTER TABLE andon_rules ADD CONSTRAINT andon_rules_kind_check CHECK (kind IN (${ALL_KINDS}))`);
    await q.query(`
      ALTER TABLE andon_rules
        ADD COLUMN threshold_percent smallint CHECK (threshold_percent BETWEEN 1 AND 100),
        ADD CONSTRAINT andon_rules_percent_only_below_target
          CHECK ((kind = 'line-below-target') = (threshold_percent IS NOT NULL))`);
    await q.query(`
      INSERT INTO andon_rules (kind, enabled, threshold_seconds, threshold_percent) VALUES
        ('line-below-target', true, 0, 80), ('bottleneck-moved', true, 300, NULL)`);
    await q.query(
      `ALTER TABLE andon_alerts ADD COLUMN from_station text, ADD COLUMN percent_of_target double precision`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE andon_alerts DROP COLUMN percent_of_target, DROP COLUMN from_station`);
    await q.query(`DELETE FROM andon_alerts WHERE rule IN ('line-below-target', 'bottleneck-moved')`);
    await q.query(`DELETE FROM andon_rules WHERE kind IN ('line-below-target', 'bottleneck-moved')`);
    await q.query(`ALTER TABLE andon_rules DROP CONSTRAINT andon_rules_percent_only_below_target`);
    await q.query(`ALTER TABLE andon_rules DROP COLUMN threshold_percent`);
    await q.query(`ALTER TABLE andon_rules DROP CONSTRAINT andon_rules_kind_check`);
    await q.query(`ALTER TABLE andon_rules ADD CONSTRAINT andon_rules_kind_check CHECK (kind IN (${STATION_KINDS}))`);
  }
}
