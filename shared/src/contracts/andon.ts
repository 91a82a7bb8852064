/**
 * Andon rules. The station rules and `gateway-offline` raise after their condition has lasted
 * `thresholdSeconds`; the two line rules read the live metrics of `GET /lines/{lineKey}/live`:
 * - `line-below-target`: the rolling 15-minute good rate under `thresholdPercent` % of the target, inside a
 *   shift with the window full (see shared/src/domain/andon-line-rules.ts); clears at threshold + 5 points.
 * - `bottleneck-moved`: the momentary bottleneck has been another station for `thresholdSeconds` (debounce);
 *   informational, it clears when the bottleneck moves again or the shift ends.
 */
export const ANDON_RULE_KINDS = [
  'station-down',
  'station-offline',
  'gateway-offline',
  'line-below-target',
  'bottleneck-moved',
] as const;
export type AndonRuleKind = (typeof ANDON_RULE_KINDS)[number];

/** Rules about a whole line: one open alert per line, `station` null or the station concerned. */
export const LINE_ANDON_RULES: readonly AndonRuleKind[] = ['line-below-target', 'bottleneck-moved'];

/** Bounds of `thresholdPercent` (whole percent). */
export const ANDON_THRESHOLD_PERCENT_MIN = 1;
export const ANDON_THRESHOLD_PERCENT_MAX = 100;

/** One rule of `GET/PUT /api/v1/andon/rules`: raise when the condition has lasted `thresholdSeconds`. */
export interface AndonRule {
  kind: AndonRuleKind;
  enabled: boolean;
  thresholdSeconds: number;
  /** `line-below-target` only (and always there): raise below this percentage of the target rate, 1–100. */
  thresholdPercent?: number;
}

export const ALERT_STATES = ['open', 'all'] as const;
export type AlertStateFilter = (typeof ALERT_STATES)[number];

/**
 * One alert. It is open until its condition is gone (`clearedAt`); acknowledging records who saw it
 * and does not close it. A gateway alert names the lines that gateway feeds; a line alert names its line.
 */
export interface Alert {
  id: string;
  rule: AndonRuleKind;
  lines: string[];
  station: string | null;
  gatewayId: string | null;
  message: string;
  /** ISO 8601: since when the condition holds (e.g. the stop's start), and when the alert was raised. */
  since: string;
  raisedAt: string;
  clearedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /** `bottleneck-moved`: the station the bottleneck moved from (`station` is where it moved to); else null. */
  fromStation: string | null;
  /** `line-below-target`: the rolling 15-minute good rate in % of the target when raised, to 0.1; else null. */
  percentOfTarget: number | null;
}
