import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { LineSummary } from '@floorboard/shared';
import { notFound } from '../../common/error-codes.js';
import { LineEntity } from './line.entity.js';
import { PlantSettingsEntity, type ShiftDefinition } from './plant-settings.entity.js';

export interface PlantCalendarSettings {
  timezone: string;
  productionDayStart: string;
  microStopSeconds: number;
  shifts: ShiftDefinition[];
}

/** Fallback before any plant file was applied: UTC days starting at midnight. */
const DEFAULT_SETTINGS: PlantCalendarSettings = {
  timezone: 'UTC',
  productionDayStart: '00:00',
  microStopSeconds: 120,
  shifts: [],
};

@Injectable()
export class LinesService {
  constructor(
    @InjectRepository(LineEntity) private readonly lines: Repository<LineEntity>,
    @InjectRepository(PlantSettingsEntity) private readonly settings: Repository<PlantSettingsEntity>,
  ) {}

  async list(): Promise<LineSummary[]> {
    const rows = await this.lines.find({ relations: { stations: true }, order: { position: 'ASC', key: 'ASC' } });
    return rows.map(toSummary);
  }

  async get(lineKey: string): Promise<LineSummary> {
    const row = await this.lines.findOne({ where: { key: lineKey }, relations: { stations: true } });
    if (!row) throw notFound('LINE_NOT_FOUND', `no line "${lineKey}"`);
    return toSummary(row);
  }

  async calendarSettings(): Promise<PlantCalendarSettings> {
    const row = await this.settings.findOne({ where: { id: 1 } });
    return row
      ? {
          timezone: row.timezone,
          productionDayStart: row.productionDayStart,
          microStopSeconds: row.microStopSeconds,
          shifts: row.shifts,
        }
      : DEFAULT_SETTINGS;
  }
}

function toSummary(line: LineEntity): LineSummary {
  return {
    key: line.key,
    name: line.name,
    site: line.site,
    idealCycleTimeSec: line.idealCycleTimeSec,
    stations: [...line.stations]
      .sort((a, b) => a.position - b.position)
      .map((s) => ({ key: s.key, name: s.name, idealCycleTimeSec: s.idealCycleTimeSec, position: s.position })),
  };
}
