import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { KPI_BUCKET_MS } from '../history/kpi-rollup.store.js';
import { HistoryService } from '../history/history.service.js';
import { LinesService } from '../lines/lines.service.js';
import { KpiPartialsService } from './kpi-partials.service.js';

/** How often, and how far back, settled buckets missing from the store are computed. */
const REFRESH_EVERY_MS = 5 * 60_000;
const REFRESH_DAYS = 8;

/**
 * Keeps every line's KPI rollups of the last week complete in the background, so a week-long query after a
 * backfill, a late event or a quiet night reads stored buckets instead of computing them. Queries fill gaps too;
 * this only saves the first one the wait.
 */
@Injectable()
export class KpiRollupRefresher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(KpiRollupRefresher.name);
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly lines: LinesService,
    private readonly history: HistoryService,
    private readonly partials: KpiPartialsService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'kpiRollups'>,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.kpiRollups) return;
    this.timer = setInterval(() => void this.refreshAll(Date.now()), REFRESH_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over every line, one line at a time; returns how many buckets were stored. */
  async refreshAll(now: number): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let stored = 0;
    try {
      const calendar = await this.lines.calendarSettings();
      for (const line of await this.lines.list()) {
        const settings = { microStopMs: calendar.microStopSeconds * 1000, stations: line.stations.map((s) => s.key) };
        try {
          // From the line's first recorded state on: buckets before it would hold nothing (queries over such
          // time still build their own).
          const first = await this.history.firstStateStart(line.key);
          if (first === null) continue;
          const from = Math.max(now - REFRESH_DAYS * 86_400_000, Math.floor(first / KPI_BUCKET_MS) * KPI_BUCKET_MS);
          stored += await this.partials.refresh(line.key, { from, to: now }, settings, now);
        } catch (error) {
          this.logger.warn(`KPI rollups of line ${line.key} not refreshed: ${(error as Error).message}`);
        }
      }
    } finally {
      this.running = false;
    }
    return stored;
  }
}
