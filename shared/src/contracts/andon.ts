/**
 * Andon rules. `line-below-target` and `bottleneck-moved` are not offered yet: they need the live
 * throughput and bottleneck of `GET /lines/{lineKey}/live`, which were still being built.
 */
export const ANDON_RULE_KINDS = ['station-down', 'station-offline', 'gateway-offline'] as const;
export type AndonRuleKind = (typeof ANDON_RULE_KINDS)[number];

/** One rule of `GET/PUT /api/v1/andon/rules`: raise when the condition has lasted `thresholdSeconds`. */
export interface AndonRule {
  kind: AndonRuleKind;
  enabled: boolean;
  thresholdSeconds: number;
}

export const ALERT_STATES = ['open', 'all'] as const;
export type AlertStateFilter = (typeof ALERT_STATES)[number];

/**
 * One alert. It is open until its condition is gone (`clearedAt`); acknowledging records who saw it
 * and does not close it. A gateway alert names the lines that gateway feeds.
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
}
