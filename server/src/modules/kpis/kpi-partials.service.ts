import { Inject, Injectable } from '@nestjs/common';
import {
  bucketExtents,
  gapIntervalsSuffice,
  kpiPartials,
  planKpiWindow,
  reasonBuckets,
  type ReasonBuckets,
  type KpiPartial,
  type StateInterval,
  type StopReason,
  type StoredKpiPartial,
} from '@floorboard/shared';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { HistoryService } from '../history/history.service.js';
import {
  KPI_BUCKET_MS,
  KPI_SETTLED_AFTER_MS,
  KpiRollupStore,
  type RollupSettings,
} from '../history/kpi-rollup.store.js';
import { loadClassifications, loadReasonCatalogue } from '../stops/stop-queries.js';
import { RecentlyUnrollable } from './recently-unrollable.js';

/** Buckets computed from one fetch of raw history (6 h). */
const CHUNK_BUCKETS = 24;
/**
 * History fetched beyond a chunk on each side, so the active periods near its edges are whole: first a short pad
 * (dense history has short periods), then, for the buckets that needed more, a long one.
 */
const PADS_MS = [10 * 60_000, 4 * 3_600_000];

type Window = { from: number; to: number };

/**
 * The KPI parts of a window (`kpi-partials.ts` in shared): stored 15-minute rollups wherever the window contains
 * what they depend on, raw history for the rest. Settled buckets missing from the store are computed and stored on
 * the way, by queries and by the background refresh.
 */
@Injectable()
export class KpiPartialsService {
  private readonly unrollable = new RecentlyUnrollable();

  constructor(
    private readonly history: HistoryService,
    private readonly rollups: KpiRollupStore,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'kpiRollups'>,
  ) {}

  /**
   * Parts tiling `window`, in order. `catalogue` is the reason catalogue the caller read for the same answer (the
   * raw parts use it; stored ones were computed under it, as a catalogue change drops them).
   */
  async partials(
    lineKey: string,
    window: Window,
    settings: RollupSettings,
    now: number,
    catalogue: readonly StopReason[],
  ): Promise<KpiPartial[]> {
    const reasons = reasonBuckets(catalogue);
    if (!this.config.kpiRollups) return this.withRawGaps(lineKey, window, [], settings, reasons, now);
    const [stored, epoch] = await Promise.all([
      this.rollups.load(lineKey, window.from, window.to, settings),
      this.rollups.currentEpoch(lineKey),
    ]);
    const missing = this.missingBuckets(lineKey, window, new Set(stored.map((s) => s.partial.start)), epoch, now);
    if (missing.length > 0) stored.push(...(await this.build(lineKey, missing, settings, now)));
    return this.withRawGaps(lineKey, window, stored, settings, reasons, now);
  }

  /** Computes and stores the settled buckets of `window` the store lacks; returns how many were stored. */
  async refresh(lineKey: string, window: Window, settings: RollupSettings, now: number): Promise<number> {
    const [have, epoch] = await Promise.all([
      this.rollups.storedStarts(lineKey, window.from, window.to, settings),
      this.rollups.currentEpoch(lineKey),
    ]);
    const missing = this.missingBuckets(lineKey, window, have, epoch, now);
    return missing.length > 0 ? (await this.build(lineKey, missing, settings, now)).length : 0;
  }

  /** Whole buckets of the window that have settled, are not stored and were not found unrollable a moment ago. */
  private missingBuckets(
    lineKey: string,
    window: Window,
    have: ReadonlySet<number>,
    epoch: number | null,
    now: number,
  ) {
    const until = Math.min(window.to, now - KPI_SETTLED_AFTER_MS);
    const missing: [number, number][] = [];
    for (let start = Math.ceil(window.from / KPI_BUCKET_MS) * KPI_BUCKET_MS; start + KPI_BUCKET_MS <= until;) {
      const end = start + KPI_BUCKET_MS;
      if (!have.has(start) && !this.unrollable.recent(lineKey, start, epoch, now)) missing.push([start, end]);
      start = end;
    }
    return missing;
  }

  /** The stored parts the window can use, and the rest computed from raw history. */
  private async withRawGaps(
    lineKey: string,
    window: Window,
    stored: readonly StoredKpiPartial[],
    settings: RollupSettings,
    reasons: ReasonBuckets,
    now: number,
  ): Promise<KpiPartial[]> {
    const { used, gaps } = planKpiWindow(window, stored, settings.microStopMs);
    if (gaps.length === 0) return used;
    // The gaps (usually the window's two edges) are independent: fetched and computed side by side.
    const raw = await Promise.all(
      gaps.map(async (gap) => {
        let intervals = await this.history.intervals(lineKey, gap.near.from, gap.near.to, now);
        if (!gapIntervalsSuffice(intervals, settings.stations, window, gap)) {
          intervals = await this.history.intervals(lineKey, gap.fetch.from, gap.fetch.to, now);
        }
        return this.compute(lineKey, intervals, window, [gap.measure], settings, reasons);
      }),
    );
    return [...used, ...raw.flat()].sort((a, b) => a.start - b.start);
  }

  /**
   * Computes buckets in chunks of raw history, stores those with an extent (unless the history changed
   * meanwhile: `KpiRollupStore.save`) and returns them. Buckets without one even with the long pad are
   * remembered for a while: raw computation covers them.
   */
  private async build(
    lineKey: string,
    buckets: readonly [number, number][],
    settings: RollupSettings,
    now: number,
  ): Promise<StoredKpiPartial[]> {
    const epoch = await this.rollups.startEpoch(lineKey);
    // Read after the epoch: a catalogue change committed from here on bumps it, and the buckets are not stored.
    const reasons = reasonBuckets(await loadReasonCatalogue(this.dataSource.manager));
    const settledBefore = now - KPI_SETTLED_AFTER_MS;
    const built: StoredKpiPartial[] = [];
    let pending = buckets;
    for (const [p, pad] of PADS_MS.entries()) {
      const retry: [number, number][] = [];
      for (const chunk of chunks(pending)) {
        const fetched = { from: chunk[0]![0] - pad, to: Math.min(chunk[chunk.length - 1]![1] + pad, settledBefore) };
        const intervals = await this.history.intervals(lineKey, fetched.from, fetched.to, now);
        const partials = await this.compute(lineKey, intervals, fetched, chunk, settings, reasons);
        const extents = bucketExtents(intervals, settings.stations, fetched, chunk);
        partials.forEach((partial, k) => {
          const extent = extents[k];
          if (extent) built.push({ partial, extent });
          else if (p < PADS_MS.length - 1) retry.push(chunk[k]!);
          else this.unrollable.remember(lineKey, partial.start, epoch, now);
        });
      }
      pending = retry;
    }
    await this.rollups.save(lineKey, epoch, settings, built);
    return built;
  }

  /** The parts of `buckets` as the analysis of `window` sees them, from raw intervals. */
  private async compute(
    lineKey: string,
    intervals: readonly StateInterval[],
    window: Window,
    buckets: readonly (readonly [number, number])[],
    settings: RollupSettings,
    reasons: ReasonBuckets,
  ): Promise<KpiPartial[]> {
    // Classifications are found by the stop's start: from the earliest interval on.
    let earliest = Infinity;
    let latest = -Infinity;
    for (const i of intervals) {
      earliest = Math.min(earliest, i.start);
      latest = Math.max(latest, i.end);
    }
    const classifications =
      intervals.length > 0 ? await loadClassifications(this.dataSource.manager, lineKey, earliest, latest) : [];
    return kpiPartials({
      intervals,
      stations: settings.stations,
      window,
      buckets,
      microStopSeconds: settings.microStopMs / 1000,
      classifications,
      reasons,
    });
  }
}

/** Runs of consecutive buckets, at most `CHUNK_BUCKETS` long. */
function chunks(buckets: readonly [number, number][]): [number, number][][] {
  const out: [number, number][][] = [];
  for (const bucket of buckets) {
    const last = out[out.length - 1];
    if (last && last.length < CHUNK_BUCKETS && last[last.length - 1]![1] === bucket[0]) last.push(bucket);
    else out.push([bucket]);
  }
  return out;
}
