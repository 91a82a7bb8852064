import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stop's reason now decides what its time costs in the KPIs (the catalogue's OEE bucket: a planned stop leaves
 * planned busy time, a minor stop is a speed loss), so a KPI rollup depends on the catalogue:
 * - the stored rollups are dropped (their figures lack the two new per-station fields) and every line's epoch is
 *   bumped, so a rollup being computed meanwhile is not stored;
 * - any change of the catalogue drops every rollup the same way, by trigger, whoever writes it (a rename can
 *   change which station texts match, a new bucket what a match costs). Catalogue edits are rare; the background
 *   pass and the next queries compute the buckets again.
 */
export class KpiReasonBuckets1764350000000 implements MigrationInterface {
  name = 'KpiReasonBuckets1764350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION kpi_rollups_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE kpi_rollup_epochs SET epoch = epoch + 1;
        DELETE FROM kpi_rollups;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER kpi_rollups_catalogue_changed
        AFTER INSERT OR UPDATE OR DELETE ON stop_reasons
        FOR EACH STATEMENT EXECUTE FUNCTION kpi_rollups_catalogue_changed()`);
    await q.query(`UPDATE kpi_rollup_epochs SET epoch = epoch + 1`);
    await q.query(`DELETE FROM kpi_rollups`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER kpi_rollups_catalogue_changed ON stop_reasons`);
    await q.query(`DROP FUNCTION kpi_rollups_catalogue_changed()`);
    await q.query(`DELETE FROM kpi_rollups`);
  }
}
