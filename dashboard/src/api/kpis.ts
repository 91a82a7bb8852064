import type { LineKpis, LineThroughputTrend, LineTimeline } from '@floorboard/shared';
import { apiRequest } from './client';

/** A window as the KPI endpoints take it: `{shift, date}`, `{date}` or `{from, to}`. */
export type WindowQuery = Record<string, string>;

const linePath = (lineKey: string, what: string) => `/lines/${encodeURIComponent(lineKey)}/${what}`;

export function fetchLineKpis(lineKey: string, window: WindowQuery): Promise<LineKpis> {
  return apiRequest<LineKpis>(linePath(lineKey, 'kpis'), { query: window });
}

/**
 * More pixels than any timeline is wide (a 4K screen is 3840 CSS px at most): the server merges what is shorter
 * than one of them, the chart then merges again for its real width.
 */
const TIMELINE_MAX_PIXELS = 4000;

/**
 * `/timeline` takes `from&to` only, so the caller passes the resolved instants. Asked at a resolution, so a week
 * arrives as a few thousand intervals rather than a quarter million (18 MB of JSON for 12 stations).
 */
export function fetchLineTimeline(lineKey: string, from: number, to: number): Promise<LineTimeline> {
  return apiRequest<LineTimeline>(linePath(lineKey, 'timeline'), {
    query: {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      resolutionMs: Math.max(1000, Math.floor((to - from) / TIMELINE_MAX_PIXELS)),
    },
  });
}

export function fetchLineThroughput(lineKey: string, window: WindowQuery): Promise<LineThroughputTrend> {
  return apiRequest<LineThroughputTrend>(linePath(lineKey, 'throughput'), { query: window });
}
