import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Subject } from 'rxjs';
import {
  applyStationEvent,
  isActiveState,
  type AlertEventPayload,
  type LineMetricsUpdatedPayload,
  productionDayAt,
  reasonBuckets,
  UNKNOWN_STATION_STATE,
  type ReasonBuckets,
  type LineLive,
  type LineSummary,
  type LineSnapshotPayload,
  type ProductionDay,
  type StationCountsUpdatedPayload,
  type StationEvent,
  type StationLiveState,
  type StationState,
  type StationStateChangedPayload,
} from '@floorboard/shared';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { HistoryService } from '../history/history.service.js';
import { LinesService, type PlantCalendarSettings } from '../lines/lines.service.js';
import { loadClassifications, loadReasonCatalogue } from '../stops/stop-queries.js';
import { LineMetrics, type LineAndonSignals } from './line-metrics.js';
import { livePeriodAt } from './live-period.js';

export type LiveDelta =
  | { event: 'station:state-changed'; payload: StationStateChangedPayload }
  | { event: 'station:counts-updated'; payload: StationCountsUpdatedPayload }
  | { event: 'line:snapshot'; payload: LineSnapshotPayload }
  | { event: 'line:metrics-updated'; payload: LineMetricsUpdatedPayload }
  | { event: 'alert:raised' | 'alert:cleared' | 'alert:acknowledged'; payload: AlertEventPayload };

interface StationSlot {
  key: string;
  name: string;
  live: StationLiveState;
  /** The state clients were last sent (snapshot or delta): `previous` of the next coalesced state delta. */
  emitted: StationState;
}

interface LineSlot {
  key: string;
  name: string;
  rev: number;
  stations: Map<string, StationSlot>;
  metrics: LineMetrics;
  /** Changed since the last flush: stations whose state or reason changed, stations whose counts changed. */
  pendingStates: Set<string>;
  pendingCounts: Set<string>;
  metricsDirty: boolean;
  metricsSentAt: number;
  /** When deltas were last sent; the next send waits until LIVE_FLUSH_MS after it. */
  flushedAt: number;
  /** The pending send of this line's changes (leading mode). */
  flushTimer: NodeJS.Timeout | undefined;
}

const ROLLOVER_CHECK_MS = 30_000;
/** Deltas per line are coalesced and sent at most once per this window (DESIGN.md §4.5). */
export const LIVE_FLUSH_MS = 250;
/** Metrics change with time alone (OEE, rates): sent at least this often even without events. */
const METRICS_REFRESH_MS = 5000;

/**
 * The live state of every placed station, kept in memory and advanced per committed event with
 * the pure reducer from shared/ (no rescans on the hot path), and each line's live metrics (LineMetrics:
 * throughput, OEE and bottleneck over the current shift). Rebuilt from the database at boot.
 * Station counts are for the current production day in the plant timezone.
 *
 * Deltas are coalesced per line: at most once per LIVE_FLUSH_MS the latest state of each changed station, the
 * latest counts and the metrics are sent, each with the line's next `rev`, so a flapping station cannot flood
 * clients. In `leading` mode (the default) a line quiet for a window sends its first change right away and what
 * follows within the window when it ends, so a lone change is not held back by the window; `interval` mode sends
 * on a fixed tick (FLOORBOARD_LIVE_FLUSH).
 */
@Injectable()
export class LiveStateService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LiveState');
  private readonly lines = new Map<string, LineSlot>();
  private calendar: PlantCalendarSettings;
  private day: ProductionDay;
  /** The reason catalogue's OEE buckets: what a stop of an output station costs in the live OEE. */
  private reasons: ReasonBuckets | undefined;
  private rolloverTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  readonly deltas = new Subject<LiveDelta>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly linesService: LinesService,
    private readonly history: HistoryService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'liveFlush'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.rebuild();
    this.rolloverTimer = setInterval(() => this.rollOverIfNewDay(Date.now()), ROLLOVER_CHECK_MS);
    this.rolloverTimer.unref();
    this.flushTimer = setInterval(() => this.tick(Date.now()), LIVE_FLUSH_MS);
    this.flushTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.rolloverTimer);
    clearInterval(this.flushTimer);
    for (const line of this.lines.values()) clearTimeout(line.flushTimer);
    this.deltas.complete();
  }

  /** Reloads topology and each station's current state and today's counts from the database. */
  async rebuild(now = Date.now()): Promise<void> {
    for (const line of this.lines.values()) this.flushLine(line, now);
    this.calendar = await this.linesService.calendarSettings();
    this.day = productionDayAt(now, this.calendar.productionDayStart, this.calendar.timezone);
    this.reasons = reasonBuckets(await loadReasonCatalogue(this.dataSource.manager));
    const summaries = await this.linesService.list();
    const current = await this.loadCurrentStates();
    const counts = await this.loadCounts(this.day.start);
    for (const summary of summaries) {
      const previous = this.lines.get(summary.key);
      const stations = new Map<string, StationSlot>();
      for (const station of summary.stations) {
        const id = `${summary.key}/${station.key}`;
        const state = current.get(id);
        const count = counts.get(id);
        const live = { ...UNKNOWN_STATION_STATE, ...state, good: count?.good ?? 0, scrap: count?.scrap ?? 0 };
        stations.set(station.key, { key: station.key, name: station.name, live, emitted: live.state });
      }
      const slot: LineSlot = {
        key: summary.key,
        name: summary.name,
        rev: previous?.rev ?? 0,
        stations,
        metrics: await this.rebuildMetrics(summary, stations, now),
        pendingStates: new Set(),
        pendingCounts: new Set(),
        metricsDirty: false,
        metricsSentAt: now,
        flushedAt: previous?.flushedAt ?? -Infinity,
        flushTimer: undefined,
      };
      // Everything pending was sent above; a send scheduled for the old slot would find nothing.
      clearTimeout(previous?.flushTimer);
      this.lines.set(summary.key, slot);
      if (previous) this.emitSnapshot(slot, now);
    }
    this.logger.log({ msg: 'live state rebuilt', lines: this.lines.size, productionDay: this.day.date });
  }

  isPlaced(line: string, station: string): boolean {
    return this.lines.get(line)?.stations.has(station) ?? false;
  }

  /**
   * Applies events already committed to the database, in event-time order. Clients get the result with the
   * line's next send (at most LIVE_FLUSH_MS later), coalesced per station.
   */
  applyCommitted(events: readonly StationEvent[], now = Date.now()): void {
    if (events.length === 0) return;
    this.rollOverIfNewDay(now);
    const ordered = [...events].sort((a, b) => a.ts - b.ts);
    const touched = new Set<LineSlot>();
    for (const event of ordered) {
      const line = this.lines.get(event.line);
      const station = line?.stations.get(event.station);
      if (!line || !station) continue;
      touched.add(line);
      if (event.type === 'count' && !event.historical) {
        line.metrics.applyCount(station.key, event.ts, event.good ?? 0, event.scrap ?? 0);
        line.metricsDirty = true;
      }
      if (event.type === 'count' && (event.ts < this.day.start || event.ts >= this.day.end)) continue;
      const { next, change } = applyStationEvent(station.live, event);
      station.live = next;
      if (change.kind === 'state' || change.kind === 'reason') {
        if (change.kind === 'state') {
          line.metrics.applyState(station.key, next.state, next.since, next.reason);
        } else {
          line.metrics.applyReason(station.key, next.reason);
        }
        line.metricsDirty = true;
        line.pendingStates.add(station.key);
      } else if (change.kind === 'counts') {
        line.pendingCounts.add(station.key);
      }
    }
    if (this.config.liveFlush === 'leading') for (const line of touched) this.scheduleFlush(line, now);
  }

  /**
   * A coordinator classified or split a stop of the line (committed): the live OEE sums the output station's
   * stops of the period again, read back from the history with the classifications.
   */
  async reclassified(lineKey: string, now = Date.now()): Promise<void> {
    const line = this.lines.get(lineKey);
    const output = line && [...line.stations.keys()].pop();
    if (!line || output === undefined) return;
    // Read again while another re-sum of the line was applied meanwhile, or the shift ended (rare: each try succeeds
    // unless another one did).
    for (;;) {
      const metrics = line.metrics;
      const resum = metrics.stopsResum();
      const intervals = await this.history.intervals(lineKey, resum.periodStart, resum.cutoff, now, [output]);
      const from = Math.min(resum.periodStart, intervals[0]?.start ?? resum.periodStart);
      const classifications = await loadClassifications(this.dataSource.manager, lineKey, from, now, [output]);
      // A rebuild may have replaced the metrics meanwhile; it read the classifications itself.
      if (line.metrics !== metrics) return;
      if (metrics.setReasons(this.reasons, classifications, { resum, intervals })) break;
    }
    line.metricsDirty = true;
    if (this.config.liveFlush === 'leading') this.scheduleFlush(line, now);
  }

  /** The reason catalogue changed (committed): every line's live OEE follows the new buckets. */
  async catalogueChanged(now = Date.now()): Promise<void> {
    this.reasons = reasonBuckets(await loadReasonCatalogue(this.dataSource.manager));
    for (const key of this.lines.keys()) await this.reclassified(key, now);
  }

  /** Sends every line's coalesced changes now, whatever the window; before anything that must follow them. */
  flush(now = Date.now()): void {
    this.rollOverIfNewDay(now);
    for (const line of this.lines.values()) this.flushLine(line, now);
  }

  /** The fixed tick: rollovers and the periodic metrics; in `interval` mode also every line's changes. */
  private tick(now: number): void {
    if (this.config.liveFlush === 'interval') {
      this.flush(now);
      return;
    }
    this.rollOverIfNewDay(now);
    for (const line of this.lines.values()) {
      if (line.flushTimer === undefined && now - line.flushedAt >= LIVE_FLUSH_MS) this.flushLine(line, now);
    }
  }

  /**
   * Leading edge and trailing coalescing: a line that sent nothing for a window sends on the next turn of the
   * event loop (after the ingest answer); otherwise once its window has passed. One pending send per line.
   */
  private scheduleFlush(line: LineSlot, now: number): void {
    if (line.flushTimer !== undefined) return;
    line.flushTimer = setTimeout(
      () => {
        line.flushTimer = undefined;
        this.flushLine(line, Date.now());
      },
      Math.max(0, line.flushedAt + LIVE_FLUSH_MS - now),
    );
    line.flushTimer.unref();
  }

  private flushLine(line: LineSlot, now: number): void {
    const revBefore = line.rev;
    for (const key of line.pendingStates) {
      const station = line.stations.get(key)!;
      const { live } = station;
      line.rev += 1;
      this.deltas.next({
        event: 'station:state-changed',
        payload: {
          line: line.key,
          ts: now,
          rev: line.rev,
          station: key,
          state: live.state,
          previous: station.emitted,
          since: live.since,
          reason: live.reason,
        },
      });
      station.emitted = live.state;
    }
    line.pendingStates.clear();
    for (const key of line.pendingCounts) {
      const { live } = line.stations.get(key)!;
      line.rev += 1;
      this.deltas.next({
        event: 'station:counts-updated',
        payload: { line: line.key, ts: now, rev: line.rev, station: key, good: live.good, scrap: live.scrap },
      });
    }
    line.pendingCounts.clear();
    if (line.metricsDirty || now - line.metricsSentAt >= METRICS_REFRESH_MS) {
      line.rev += 1;
      line.metricsDirty = false;
      line.metricsSentAt = now;
      this.deltas.next({
        event: 'line:metrics-updated',
        payload: { line: line.key, ts: now, rev: line.rev, metrics: line.metrics.metrics(now) },
      });
    }
    if (line.rev !== revBefore) line.flushedAt = now;
  }

  /** Sends a domain event (alerts) to a line's room with the line's next rev; false for an unknown line. */
  publish(
    event: Extract<LiveDelta, { payload: AlertEventPayload }>['event'],
    line: string,
    body: Omit<AlertEventPayload, 'line' | 'ts' | 'rev'>,
    now = Date.now(),
  ): boolean {
    const slot = this.lines.get(line);
    if (!slot) return false;
    slot.rev += 1;
    this.deltas.next({ event, payload: { ...body, line, ts: now, rev: slot.rev } });
    return true;
  }

  /** The event times the line andon rules read besides the metrics; null for an unknown line. */
  andonSignals(lineKey: string): LineAndonSignals | null {
    return this.lines.get(lineKey)?.metrics.andonSignals ?? null;
  }

  snapshot(lineKey: string, now = Date.now()): LineLive | null {
    const line = this.lines.get(lineKey);
    return line ? this.toLive(line, now) : null;
  }

  private toLive(line: LineSlot, now: number): LineLive {
    this.rollOverIfNewDay(now);
    const metrics = line.metrics.metrics(now);
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
      period: metrics.period,
      throughput: metrics.throughput,
      oee: metrics.oee,
      bottleneck: metrics.bottleneck,
    };
  }

  private emitSnapshot(line: LineSlot, now: number): void {
    // The snapshot carries everything pending.
    line.pendingStates.clear();
    line.pendingCounts.clear();
    line.metricsDirty = false;
    line.metricsSentAt = now;
    for (const station of line.stations.values()) station.emitted = station.live.state;
    line.rev += 1;
    this.deltas.next({
      event: 'line:snapshot',
      payload: { line: line.key, ts: now, rev: line.rev, snapshot: this.toLive(line, now) },
    });
  }

  /**
   * At the production-day boundary the day's counts start from zero again; at the end of a shift the metrics
   * move to the next period.
   */
  private rollOverIfNewDay(now: number): void {
    for (const line of this.lines.values()) {
      if (now < line.metrics.currentPeriod.end) continue;
      line.metrics.startPeriod(livePeriodAt(now, this.calendar), now);
      line.metricsDirty = true;
    }
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

  /**
   * A line's metrics for the current period from the database: the history's intervals replayed through the
   * same LineMetrics code the live path uses, the output station's live counts (historical ones excluded, as
   * live) since the period start or the rolling window, whichever is earlier.
   */
  private async rebuildMetrics(
    summary: LineSummary,
    stations: Map<string, StationSlot>,
    now: number,
  ): Promise<LineMetrics> {
    const period = livePeriodAt(now, this.calendar);
    const output = summary.stations[summary.stations.length - 1];
    const metrics = new LineMetrics(
      {
        stations: summary.stations.map((s) => s.key),
        outputIdealCycleSeconds: output?.idealCycleTimeSec ?? 0,
        lineIdealCycleSeconds: summary.idealCycleTimeSec,
        microStopSeconds: this.calendar.microStopSeconds,
      },
      period,
    );
    if (!output) return metrics;
    const margin = this.calendar.microStopSeconds * 1000;
    const [intervals, activeSince, minutes] = await Promise.all([
      this.history.intervals(summary.key, period.start - margin, now, now),
      this.history.ongoingActiveStarts(summary.key),
      this.loadOutputMinutes(summary.key, output.key, Math.min(period.start, now - 15 * 60_000)),
    ]);
    // Each station's first interval (or live state) seeds it; the rest replays in event-time order across the
    // stations, so the momentary bottleneck changes at the times it did live (andon bottleneck-moved reads them).
    const replay: { station: string; state: StationState; ts: number; reason: string | null }[] = [];
    for (const { key } of summary.stations) {
      const list = intervals.filter((i) => i.station === key);
      const live = stations.get(key)!.live;
      const first = list[0];
      const last = list[list.length - 1];
      if (!first || !last) {
        metrics.seedState(key, live.state, live.since, live.reason);
        continue;
      }
      metrics.seedState(key, first.state, first.start, first.reason);
      for (const interval of list.slice(1)) {
        replay.push({ station: key, state: interval.state, ts: interval.start, reason: interval.reason });
      }
      if (last.state !== live.state && live.since >= last.start) {
        replay.push({ station: key, state: live.state, ts: live.since, reason: live.reason });
      }
    }
    // The output station's stops cost what their reasons say: classifications from its earliest interval on.
    const outputFrom = Math.min(now, intervals.find((i) => i.station === output.key)?.start ?? now);
    metrics.setReasons(
      this.reasons,
      await loadClassifications(this.dataSource.manager, summary.key, outputFrom, now, [output.key]),
    );
    for (const change of replay.sort((a, b) => a.ts - b.ts)) {
      metrics.applyState(change.station, change.state, change.ts, change.reason);
    }
    for (const { key } of summary.stations) {
      const since = activeSince.get(key);
      if (since !== undefined && isActiveState(stations.get(key)!.live.state)) metrics.seedActivePeriod(key, since);
    }
    for (const m of minutes) metrics.applyCount(output.key, m.minute, m.good, m.scrap);
    return metrics;
  }

  private async loadOutputMinutes(
    line: string,
    station: string,
    from: number,
  ): Promise<{ minute: number; good: number; scrap: number }[]> {
    const rows = (await this.dataSource.query(
      `SELECT (extract(epoch FROM date_trunc('minute', ts)) * 1000)::bigint AS minute,
              COALESCE(sum(good), 0)::bigint AS good, COALESCE(sum(scrap), 0)::bigint AS scrap
         FROM station_events
        WHERE line_key = $1 AND station_key = $2 AND type = 'count' AND NOT historical
          AND ts >= to_timestamp($3::double precision / 1000)
        GROUP BY 1 ORDER BY 1`,
      [line, station, from],
    )) as { minute: string; good: string; scrap: string }[];
    return rows.map((r) => ({ minute: Number(r.minute), good: Number(r.good), scrap: Number(r.scrap) }));
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
