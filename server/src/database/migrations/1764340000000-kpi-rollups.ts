import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * KPI rollups: the additive KPI figures of each line per 15-minute bucket (`kpi-partials.ts` in shared), stored
 * once a bucket has settled, so a week-long KPI query reads ~700 small rows instead of every interval.
 * - `extent_*`: the span of the active periods a bucket's figures depend on. A query uses a row only when its
 *   window contains that span; data changing inside it makes the row stale, and it is deleted.
 * - `micro_stop_ms` and `stations` (the line's stations in flow order): a row computed under other settings is
 *   not used (and is overwritten when the bucket is computed again).
 * - `kpi_rollup_epochs`: bumped by every invalidation; a rollup computed from data read before a bump is not
 *   written (`KpiRollupStore.save`).
 * Late state events invalidate from the ingest transaction (`HistoryService.record`); a coordinator's stop
 * classification or split invalidates here, by trigger, whoever writes it.
 */
export class KpiRollups1764340000000 implements MigrationInterface {
  name = 'KpiRollups1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kpi_rollups (
        line_key text NOT NULL,
        bucket_start timestamptz(3) NOT NULL,
        bucket_end timestamptz(3) NOT NULL,
        extent_start timestamptz(3) NOT NULL,
        extent_end timestamptz(3) NOT NULL,
        micro_stop_ms integer NOT NULL,
        stations text NOT NULL,
        figures json NOT NULL,
        computed_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (line_key, bucket_start),
        CHECK (extent_start <= bucket_start AND bucket_end <= extent_end)
      )`);
    await q.query(`CREATE INDEX kpi_rollups_extent_end ON kpi_rollups (line_key, extent_end)`);
    await q.query(`CREATE TABLE kpi_rollup_epochs (line_key text PRIMARY KEY, epoch bigint NOT NULL DEFAULT 0)`);
    await q.query(`
      CREATE FUNCTION kpi_rollups_invalidate(changed_line text, changed_at timestamptz) RETURNS void
        LANGUAGE sql AS $$
        UPDATE kpi_rollup_epochs SET epoch = epoch + 1 WHERE line_key = changed_line;
        DELETE FROM kpi_rollups WHERE line_key = changed_line AND extent_start <= changed_at AND extent_end >= changed_at;
      $$`);
    await q.query(`
      CREATE FUNCTION kpi_rollups_classification_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          PERFORM kpi_rollups_invalidate(OLD.line_key, OLD.start_ts);
        END IF;
        IF TG_OP <> 'DELETE' THEN
          PERFORM kpi_rollups_invalidate(NEW.line_key, NEW.start_ts);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER kpi_rollups_classification_changed
        AFTER INSERT OR UPDATE OR DELETE ON stop_classifications
        FOR EACH ROW EXECUTE FUNCTION kpi_rollups_classification_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER kpi_rollups_classification_changed ON stop_classifications`);
    await q.query(`DROP FUNCTION kpi_rollups_classification_changed()`);
    await q.query(`DROP FUNCTION kpi_rollups_invalidate(text, timestamptz)`);
    await q.query(`DROP TABLE kpi_rollup_epochs`);
    await q.query(`DROP TABLE kpi_rollups`);
  }
}
