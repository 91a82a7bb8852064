import { isDeepStrictEqual } from 'node:util';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PlantFile } from '@floorboard/shared';
import { AuditService } from '../audit/audit.service.js';

/**
 * Applies a plant file as an idempotent upsert (DESIGN.md §4.2). It never deletes: a line or
 * station dropped from the file keeps its history and stays listed.
 */
@Injectable()
export class PlantService {
  private readonly logger = new Logger('Plant');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The stored topology in plant-file form (lines and stations in flow order). */
  async current(manager: EntityManager = this.dataSource.manager): Promise<PlantFile> {
    const [settings] = (await manager.query(
      `SELECT timezone, production_day_start, micro_stop_seconds, shifts FROM plant_settings WHERE id = 1`,
    )) as { timezone: string; production_day_start: string; micro_stop_seconds: number; shifts: PlantFile['shifts'] }[];
    const lines = (await manager.query(
      `SELECT key, name, site, ideal_cycle_time_sec FROM lines ORDER BY position, key`,
    )) as { key: string; name: string; site: string; ideal_cycle_time_sec: number }[];
    const stations = (await manager.query(
      `SELECT line_key, key, name, ideal_cycle_time_sec FROM stations ORDER BY line_key, position, key`,
    )) as { line_key: string; key: string; name: string; ideal_cycle_time_sec: number }[];
    return {
      timezone: settings?.timezone ?? 'UTC',
      productionDayStart: settings?.production_day_start ?? '00:00',
      microStopSeconds: settings?.micro_stop_seconds ?? 120,
      shifts: settings?.shifts ?? [],
      lines: lines.map((l) => ({
        key: l.key,
        name: l.name,
        site: l.site,
        idealCycleTimeSec: l.ideal_cycle_time_sec,
        stations: stations
          .filter((s) => s.line_key === l.key)
          .map((s) => ({ key: s.key, name: s.name, idealCycleTimeSec: s.ideal_cycle_time_sec })),
      })),
    };
  }

  /** Upserts and records `plant.applied` (before and after) when the stored topology changed. */
  async apply(plant: PlantFile): Promise<{ lines: number; stations: number }> {
    let stations = 0;
    await this.dataSource.transaction(async (tx) => {
      const before = await this.current(tx);
      await tx.query(
        `INSERT INTO plant_settings (id, timezone, production_day_start, micro_stop_seconds, shifts, updated_at)
         VALUES (1, $1, $2, $3, $4::jsonb, now())
         ON CONFLICT (id) DO UPDATE SET timezone = EXCLUDED.timezone,
           production_day_start = EXCLUDED.production_day_start,
           micro_stop_seconds = EXCLUDED.micro_stop_seconds, shifts = EXCLUDED.shifts, updated_at = now()`,
        [plant.timezone, plant.productionDayStart, plant.microStopSeconds, JSON.stringify(plant.shifts)],
      );
      for (const [linePosition, line] of plant.lines.entries()) {
        await tx.query(
          `INSERT INTO lines (key, name, site, ideal_cycle_time_sec, position) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, site = EXCLUDED.site,
             ideal_cycle_time_sec = EXCLUDED.ideal_cycle_time_sec, position = EXCLUDED.position, updated_at = now()`,
          [line.key, line.name, line.site, line.idealCycleTimeSec, linePosition],
        );
        for (const [position, station] of line.stations.entries()) {
          stations += 1;
          await tx.query(
            `INSERT INTO stations (line_key, key, name, ideal_cycle_time_sec, position) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (line_key, key) DO UPDATE SET name = EXCLUDED.name,
               ideal_cycle_time_sec = EXCLUDED.ideal_cycle_time_sec, position = EXCLUDED.position, updated_at = now()`,
            [line.key, station.key, station.name, station.idealCycleTimeSec, position],
          );
        }
      }
      // Stations now placed by the plant file are no longer "unplaced".
      await tx.query(
        `DELETE FROM unplaced_stations u USING stations s WHERE s.line_key = u.line_key AND s.key = u.station_key`,
      );
      const after = await this.current(tx);
      if (isDeepStrictEqual(before, after)) this.audit.noChange();
      else await this.audit.record(tx, { action: 'plant.applied', entity: 'plant', entityId: null, before, after });
    });
    this.logger.log({ msg: 'plant applied', lines: plant.lines.length, stations, timezone: plant.timezone });
    return { lines: plant.lines.length, stations };
  }
}
