import type { EntityManager } from 'typeorm';
import type { StopClassification, StopReason } from '@floorboard/shared';
import { EPOCH_MS, FROM_EPOCH_MS } from '../../database/sql-time.js';

/**
 * Reads of the reason catalogue and of coordinators' classifications that other modules need without the stops
 * module's services (the live state and the KPI rollups sit below it in the module graph).
 */

export interface ReasonRow {
  key: string;
  name: string;
  parent_key: string | null;
  category: StopReason['category'];
  oee_bucket: StopReason['oeeBucket'];
}

/** The whole reason catalogue, in the managers' order. */
export async function loadReasonCatalogue(manager: EntityManager): Promise<StopReason[]> {
  const rows = (await manager.query(
    `SELECT key, name, parent_key, category, oee_bucket FROM stop_reasons ORDER BY position, key`,
  )) as ReasonRow[];
  return rows.map(toReason);
}

export const toReason = (r: ReasonRow): StopReason => ({
  key: r.key,
  name: r.name,
  parent: r.parent_key,
  category: r.category,
  oeeBucket: r.oee_bucket,
});

/**
 * Coordinators' classifications and split points of a line's stops starting in `[from, to]`; of the given
 * stations only, when `stations` is given.
 */
export async function loadClassifications(
  manager: EntityManager,
  line: string,
  from: number,
  to: number,
  stations?: readonly string[],
): Promise<StopClassification[]> {
  const rows = (await manager.query(
    `SELECT station_key AS station, ${EPOCH_MS('start_ts')} AS start, reason_key AS "reasonKey", split
       FROM stop_classifications
      WHERE line_key = $1 AND start_ts >= ${FROM_EPOCH_MS} $2::bigint AND start_ts <= ${FROM_EPOCH_MS} $3::bigint
        AND ($4::text[] IS NULL OR station_key = ANY($4::text[]))`,
    [line, from, to, stations ?? null],
  )) as { station: string; start: string; reasonKey: string; split: boolean }[];
  return rows.map((r) => ({ ...r, start: Number(r.start) }));
}
