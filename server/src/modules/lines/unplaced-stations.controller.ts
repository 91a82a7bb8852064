import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { MinRole } from '../auth/auth.decorators.js';

export interface UnplacedStation {
  line: string;
  station: string;
  firstSeenAt: string;
  lastSeenAt: string;
  eventCount: number;
}

@ApiTags('lines')
@ApiBearerAuth()
@Controller('stations')
export class UnplacedStationsController {
  constructor(private readonly dataSource: DataSource) {}

  @MinRole('admin')
  @ApiOperation({ summary: 'Stations that sent data but are not in the plant file (kept, never dropped)' })
  @Get('unplaced')
  async unplaced(): Promise<UnplacedStation[]> {
    const rows = (await this.dataSource.query(
      `SELECT line_key, station_key, first_seen_at, last_seen_at, event_count FROM unplaced_stations
        ORDER BY line_key, station_key`,
    )) as { line_key: string; station_key: string; first_seen_at: Date; last_seen_at: Date; event_count: string }[];
    return rows.map((r) => ({
      line: r.line_key,
      station: r.station_key,
      firstSeenAt: r.first_seen_at.toISOString(),
      lastSeenAt: r.last_seen_at.toISOString(),
      eventCount: Number(r.event_count),
    }));
  }
}
