import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PlantFile } from '@floorboard/shared';

/**
 * Applies a plant file as an idempotent upsert (DESIGN.md §4.2). It never deletes: a line or
 * station dropped from the file keeps its history and stays listed.
 */
@Injectable()
export class PlantService {
  private readonly logger = new Logger('Plant');

  constructor(private readonly dataSource: DataSource) {}

  async apply(plant: PlantFile): Promise<{ lines: number; stations: number }> {
    let stations = 0;
    await this.dataSource.transaction(async (tx) => {
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
    });
    this.logger.log({ msg: 'plant applied', lines: plant.lines.length, stations, timezone: plant.timezone });
    return { lines: plant.lines.length, stations };
  }
}
