import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Subject } from 'rxjs';
import {
  applyStationEvent,
  productionDayAt,
  UNKNOWN_STATION_STATE,
  type LineLive,
  type LineSnapshotPayload,
  type ProductionDay,
  type StationCountsUpdatedPayload,
  type StationEvent,
  type StationLiveState,
  type StationState,
  type StationStateChangedPayload,
} from '@floorboard/shared';
import { LinesService, type PlantCalendarSettings } from '../lines/lines.service.js';

export type LiveDelta =
  | { event: 'station:state-changed'; payload: StationStateChangedPayload }
  | { event: 'station:counts-updated'; payload: StationCountsUpdatedPayload }
  | { event: 'line:snapshot'; payload: LineSnapshotPayload };

interface StationSlot {
  key: string;
  name: string;
  live: StationLiveState;
}

interface LineSlot {
  key: string;
  name: string;
  rev: number;
  stations: Map<string, StationSlot>;
}

const ROLLOVER_CHECK_MS = 30_000;

/**
 * The live state of every placed station, kept in memory and advanced per committed event with
 * the pure reducer from shared/ (no rescans on the hot path). Rebuilt from the database at boot.
 * Counts are for the current production day in the plant timezone.
 */
@Injectable()
export class LiveStateService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LiveState');
  private readonly lines = new Map<string, LineSlot>();
  private calendar: PlantCalendarSettings;
  private day: ProductionDay;
  private rolloverTimer: NodeJS.Timeout | undefined;
  readonly deltas = new Subject<LiveDelta>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly linesService: LinesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.rebuild();
    this.rolloverTimer = setInterval(() => this.rollOverIfNewDay(Date.now()), ROLLOVER_CHECK_MS);
    this.rolloverTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.rolloverTimer);
    this.deltas.complete();
  }

  /** Reloads topology and each station's current state and today's counts from the database. */
  async rebuild(now = Date.now()): Promise<void> {
    this.calendar = await this.linesService.calendarSettings();
    this.day = productionDayAt(now, this.calendar.productionDayStart, this.calendar.timezone);
    const summaries = await this.linesService.list();
    const current = await this.loadCurrentStates();
    const counts = await this.loadCounts(this.day.start);
    for (const summary of summaries) {
      const previous = this.lines.get(summary.key);
      const slot: LineSlot = { key: summary.key, name: summary.name, rev: previous?.rev ?? 0, stations: new Map() };
      for (const station of summary.stations) {
        const id = `${summary.key}/${station.key}`;
        const state = current.get(id);
        const count = counts.get(id);
        slot.stations.set(station.key, {
          key: station.key,
          name: station.name,
          live: {
            ...UNKNOWN_STATION_STATE,
            ...state,
            good: count?.good ?? 0,
            scrap: count?.scrap ?? 0,
          },
        });
      }
      this.lines.set(summary.key, slot);
      if (previous) this.emitSnapshot(slot, now);
    }
    this.logger.log({ msg: 'live state rebuilt', lines: this.lines.size, productionDay: this.day.date });
  }

  isPlaced(line: string, station: string): boolean {
    return this.lines.get(line)?.stations.has(station) ?? false;
  }

  /** Applies events already committed to the database, in event-time order. */
  applyCommitted(events: readonly StationEvent[]): void {
    if (events.length === 0) return;
    const now = Date.now();
    this.rollOverIfNewDay(now);
    const ordered = [...events].sort((a, b) => a.ts - b.ts);
    for (const event of ordered) {
      const line = this.lines.get(event.line);
      const station = line?.stations.get(event.station);
      if (!line || !station) continue;
      if (event.type === 'count' && (event.ts < this.day.start || event.ts >= this.day.end)) continue;
      const previous = station.live;
      const { next, change } = applyStationEvent(previous, event);
      station.live = next;
      if (change.kind === 'state' || change.kind === 'reason') {
        line.rev += 1;
        this.deltas.next({
          event: 'station:state-changed',
          payload: {
            line: line.key,
            ts: now,
            rev: line.rev,
            station: station.key,
            state: next.state,
            previous: change.kind === 'state' ? change.previous : previous.state,
            since: next.since,
            reason: next.reason,
          },
        });
      } else if (change.kind === 'counts') {
        line.rev += 1;
        this.deltas.next({
          event: 'station:counts-updated',
          payload: { line: line.key, ts: now, rev: line.rev, station: station.key, good: next.good, scrap: next.scrap },
        });
      }
    }
  }

  snapshot(lineKey: string, now = Date.now()): LineLive | null {
    const line = this.lines.get(lineKey);
    return line ? this.toLive(line, now) : null;
  }

  private toLive(line: LineSlot, now: number): LineLive {
    return {
      line: line.key,
      name: line.name,
      rev: line.rev,
      ts: now,
      stations: [...line.stations.values()].map((s) => ({
        key: s.key,
        name: s.name,
        state: s.live.state,
        since: s.live.since,
        reason: s.live.reason,
        good: s.live.good,
        scrap: s.live.scrap,
      })),
      throughput: null,
      oee: null,
      bottleneck: null,
    };
  }

  private emitSnapshot(line: LineSlot, now: number): void {
    line.rev += 1;
    this.deltas.next({
      event: 'line:snapshot',
      payload: { line: line.key, ts: now, rev: line.rev, snapshot: this.toLive(line, now) },
    });
  }

  /** At the production-day boundary the day's counts start from zero again. */
  private rollOverIfNewDay(now: number): void {
    if (now < this.day.end) return;
    this.day = productionDayAt(now, this.calendar.productionDayStart, this.calendar.timezone);
    for (const line of this.lines.values()) {
      for (const station of line.stations.values()) station.live = { ...station.live, good: 0, scrap: 0 };
      this.emitSnapshot(line, now);
    }
  }

  private async loadCurrentStates(): Promise<
    Map<string, Pick<StationLiveState, 'state' | 'since' | 'reason' | 'lastStateTs'>>
  > {
    // Per placed station: its newest live state event, and since when it has been in that state.
    // A station that never reported is offline since it was configured.
    const rows = (await this.dataSource.query(`
      SELECT s.line_key, s.key AS station_key, COALESCE(latest.state, 'offline') AS state, latest.reason,
             COALESCE((extract(epoch FROM latest.ts) * 1000)::bigint, 0) AS last_ts,
             (extract(epoch FROM COALESCE((
                SELECT min(e.ts) FROM station_events e
                 WHERE e.line_key = s.line_key AND e.station_key = s.key AND e.type = 'state'
                   AND NOT e.historical AND e.ts > COALESCE(prev.ts, '-infinity')
             ), s.created_at)) * 1000)::bigint AS since
        FROM stations s
        LEFT JOIN LATERAL (
          SELECT e.state, e.reason, e.ts FROM station_events e
           WHERE e.line_key = s.line_key AND e.station_key = s.key AND e.type = 'state' AND NOT e.historical
           ORDER BY e.ts DESC, e.id DESC LIMIT 1) latest ON true
        LEFT JOIN LATERAL (
          SELECT e.ts FROM station_events e
           WHERE e.line_key = s.line_key AND e.station_key = s.key AND e.type = 'state' AND NOT e.historical
             AND e.state <> latest.state AND e.ts <= latest.ts
           ORDER BY e.ts DESC LIMIT 1) prev ON true`)) as {
      line_key: string;
      station_key: string;
      state: StationState;
      reason: string | null;
      last_ts: string;
      since: string;
    }[];
    return new Map(
      rows.map((r) => [
        `${r.line_key}/${r.station_key}`,
        { state: r.state, reason: r.reason, since: Number(r.since), lastStateTs: Number(r.last_ts) },
      ]),
    );
  }

  private async loadCounts(from: number): Promise<Map<string, { good: number; scrap: number }>> {
    const rows = (await this.dataSource.query(
      `SELECT line_key, station_key, COALESCE(sum(good), 0)::bigint AS good, COALESCE(sum(scrap), 0)::bigint AS scrap
         FROM station_events WHERE type = 'count' AND NOT historical AND ts >= to_timestamp($1::double precision / 1000)
        GROUP BY line_key, station_key`,
      [from],
    )) as { line_key: string; station_key: string; good: string; scrap: string }[];
    return new Map(
      rows.map((r) => [`${r.line_key}/${r.station_key}`, { good: Number(r.good), scrap: Number(r.scrap) }]),
    );
  }
}
