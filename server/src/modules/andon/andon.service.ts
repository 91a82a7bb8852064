import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Subscription } from 'rxjs';
import {
  ANDON_RULE_KINDS,
  LINE_ANDON_RULES,
  LINE_RATE_WINDOW_MINUTES,
  stepBottleneckWatch,
  stepLineBelowTarget,
  type Alert,
  type AlertStateFilter,
  type AndonRule,
  type AndonRuleKind,
  type LivePeriod,
  type LiveThroughput,
  type StationState,
  type StationStateChangedPayload,
} from '@floorboard/shared';
import { badRequest, notFound } from '../../common/error-codes.js';
import { AuditService } from '../audit/audit.service.js';
import { currentRequestContext } from '../audit/request-context.js';
import { LinesService } from '../lines/lines.service.js';
import type { LineAndonSignals } from '../live/line-metrics.js';
import { LiveStateService } from '../live/live-state.service.js';
import { conflict } from '../stops/stops.errors.js';
import type { AndonRulePatchDto } from './dto/andon.dto.js';

/** Duration rules are checked this often; state changes are checked as they arrive. */
export const ANDON_TICK_MS = 5_000;

const STATION_RULES: Partial<Record<AndonRuleKind, StationState>> = {
  'station-down': 'down',
  'station-offline': 'offline',
};

interface AlertRow {
  id: string;
  rule: AndonRuleKind;
  subject: string;
  lines: string[];
  station_key: string | null;
  gateway_id: string | null;
  message: string;
  since: Date;
  raised_at: Date;
  cleared_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  from_station: string | null;
  percent_of_target: number | null;
}

interface RuleRow {
  kind: AndonRuleKind;
  enabled: boolean;
  threshold_seconds: number;
  threshold_percent: number | null;
}

/** A condition that holds now, keyed by rule and subject (`line/station` or the gateway id). */
interface Condition {
  rule: AndonRuleKind;
  subject: string;
  lines: string[];
  station: string | null;
  gatewayId: string | null;
  since: number;
  message: string;
  fromStation?: string;
  percentOfTarget?: number;
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
const toAlert = (r: AlertRow): Alert => ({
  id: r.id,
  rule: r.rule,
  lines: r.lines,
  station: r.station_key,
  gatewayId: r.gateway_id,
  message: r.message,
  since: iso(r.since)!,
  raisedAt: iso(r.raised_at)!,
  clearedAt: iso(r.cleared_at),
  acknowledgedAt: iso(r.acknowledged_at),
  acknowledgedBy: r.acknowledged_by,
  fromStation: r.from_station,
  percentOfTarget: r.percent_of_target === null ? null : Number(r.percent_of_target),
});
const ALERT_COLUMNS = `id, rule, subject, lines, station_key, gateway_id, message, since, raised_at, cleared_at,
  acknowledged_at, acknowledged_by, from_station, percent_of_target`;
const toRule = (r: RuleRow): AndonRule => ({
  kind: r.kind,
  enabled: r.enabled,
  thresholdSeconds: r.threshold_seconds,
  ...(r.threshold_percent === null ? {} : { thresholdPercent: r.threshold_percent }),
});
const slotKey = (rule: AndonRuleKind, subject: string) => `${rule}|${subject}`;

/**
 * Andon: raises an alert when a rule's condition has held for its threshold, clears it when the condition is
 * gone, and records acknowledgements. Conditions come from the live state (so historical events never raise
 * anything) and the gateways' heartbeats. A state change is checked in O(1) as it arrives; duration rules on a
 * timer. The line rules (shared andon-line-rules.ts) read each line's live metrics whenever they are sent
 * (`line:metrics-updated`, at least every 5 s) and on the timer; their memory (since when a line has been below
 * target, its stable bottleneck) is in memory, the stable bottleneck restored from an open alert after a restart.
 * All writes run one after another on one queue. Each raise, clear and acknowledgement goes to the rooms of the
 * alert's lines as `alert:*` with the line's next rev.
 */
@Injectable()
export class AndonService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Andon');
  private rules = new Map<AndonRuleKind, AndonRule>();
  private readonly open = new Map<string, Alert>();
  /** Per line: since when the rolling rate has been below the threshold (`line-below-target`). */
  private readonly belowSince = new Map<string, number>();
  /** Per line: the stable bottleneck (`bottleneck-moved`). */
  private readonly stableBottleneck = new Map<string, string | null>();
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private subscription: Subscription | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveStateService,
    private readonly lines: LinesService,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.loadRules();
    const rows = (await this.dataSource.query(
      `SELECT ${ALERT_COLUMNS} FROM andon_alerts WHERE cleared_at IS NULL`,
    )) as AlertRow[];
    for (const r of rows) this.open.set(slotKey(r.rule, r.subject), toAlert(r));
    for (const alert of this.open.values()) {
      if (alert.rule === 'bottleneck-moved') this.stableBottleneck.set(alert.lines[0]!, alert.station);
    }
    this.subscription = this.live.deltas.subscribe((delta) => {
      if (delta.event === 'station:state-changed') this.onStateChanged(delta.payload);
      else if (delta.event === 'line:metrics-updated') {
        const { line, ts, metrics } = delta.payload;
        void this.enqueue(() => this.checkLine(line, metrics.period, metrics.throughput, ts));
      }
    });
    this.timer = setInterval(() => void this.evaluate(), ANDON_TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
    await this.queue;
  }

  rulesList(): AndonRule[] {
    return ANDON_RULE_KINDS.map((kind) => this.rules.get(kind)!);
  }

  async updateRules(patches: AndonRulePatchDto[]): Promise<AndonRule[]> {
    if (new Set(patches.map((p) => p.kind)).size !== patches.length) {
      throw badRequest('VALIDATION_FAILED', 'each rule kind at most once');
    }
    const misplaced = patches.find((p) => (p.thresholdPercent ?? null) !== null && p.kind !== 'line-below-target');
    if (misplaced) {
      throw badRequest(
        'VALIDATION_FAILED',
        `thresholdPercent applies to line-below-target only, not ${misplaced.kind}`,
      );
    }
    await this.dataSource.transaction(async (tx) => {
      const rows = (await tx.query(
        `SELECT kind, enabled, threshold_seconds, threshold_percent FROM andon_rules FOR UPDATE`,
      )) as RuleRow[];
      const before = ANDON_RULE_KINDS.map((kind) => toRule(rows.find((r) => r.kind === kind)!));
      const after = before.map((rule): AndonRule => {
        const patch = patches.find((p) => p.kind === rule.kind);
        if (!patch) return rule;
        const next = {
          ...rule,
          enabled: patch.enabled ?? rule.enabled,
          thresholdSeconds: patch.thresholdSeconds ?? rule.thresholdSeconds,
        };
        return rule.thresholdPercent === undefined
          ? next
          : { ...next, thresholdPercent: patch.thresholdPercent ?? rule.thresholdPercent };
      });
      const changed = after.filter((rule, i) => JSON.stringify(rule) !== JSON.stringify(before[i]));
      if (changed.length === 0) {
        this.audit.noChange();
        return;
      }
      await tx.query(
        `UPDATE andon_rules r SET enabled = c.enabled, threshold_seconds = c.threshold_seconds,
                threshold_percent = c.threshold_percent, updated_at = now()
           FROM unnest($1::text[], $2::boolean[], $3::int[], $4::int[])
             AS c(kind, enabled, threshold_seconds, threshold_percent)
          WHERE r.kind = c.kind`,
        [
          changed.map((r) => r.kind),
          changed.map((r) => r.enabled),
          changed.map((r) => r.thresholdSeconds),
          changed.map((r) => r.thresholdPercent ?? null),
        ],
      );
      await this.audit.record(tx, { action: 'andon-rules.updated', entity: 'andon-rules', before, after });
    });
    await this.loadRules();
    void this.evaluate();
    return this.rulesList();
  }

  async list(state: AlertStateFilter, line: string | undefined): Promise<Alert[]> {
    if (line !== undefined) await this.lines.get(line);
    const rows = (await this.dataSource.query(
      `SELECT ${ALERT_COLUMNS} FROM andon_alerts
        WHERE ($1::boolean OR cleared_at IS NULL) AND ($2::text IS NULL OR $2 = ANY(lines))
        ORDER BY raised_at DESC, id LIMIT 500`,
      [state === 'all', line ?? null],
    )) as AlertRow[];
    return rows.map(toAlert);
  }

  async acknowledge(id: string): Promise<Alert> {
    const by = currentRequestContext()?.principal?.name ?? 'system';
    const alert = await this.dataSource.transaction(async (tx) => {
      const rows = (await tx.query(`SELECT ${ALERT_COLUMNS} FROM andon_alerts WHERE id = $1 FOR UPDATE`, [
        id,
      ])) as AlertRow[];
      if (!rows[0]) throw notFound('ALERT_NOT_FOUND', `no alert "${id}"`);
      const before = toAlert(rows[0]);
      if (before.acknowledgedAt !== null) {
        throw conflict(
          'ALERT_ALREADY_ACKNOWLEDGED',
          `acknowledged by ${before.acknowledgedBy} at ${before.acknowledgedAt}`,
        );
      }
      // An UPDATE answers [rows, count] through TypeORM; a CTE answers rows like a SELECT.
      const [row] = (await tx.query(
        `WITH u AS (UPDATE andon_alerts SET acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1
                    RETURNING ${ALERT_COLUMNS})
         SELECT * FROM u`,
        [id, by],
      )) as AlertRow[];
      const after = toAlert(row!);
      await this.audit.record(tx, {
        action: 'alert.acknowledged',
        entity: 'alert',
        entityId: id,
        before: { acknowledgedAt: null },
        after: { acknowledgedAt: after.acknowledgedAt, acknowledgedBy: by },
      });
      return after;
    });
    const key = slotKey(alert.rule, subjectOf(alert));
    if (this.open.has(key)) this.open.set(key, alert);
    this.push('alert:acknowledged', alert);
    return alert;
  }

  /** Checks every rule now (the timer calls this; tests may too). Resolves when its writes are done. */
  evaluate(now = Date.now()): Promise<void> {
    return this.enqueue(async () => {
      const holding = new Map<string, Condition>();
      const checked = new Set<string>();
      for (const summary of await this.lines.list()) {
        const snapshot = this.live.snapshot(summary.key, now);
        if (!snapshot) continue;
        await this.checkLine(summary.key, snapshot.period, snapshot.throughput, now);
        for (const station of snapshot.stations) {
          for (const kind of Object.keys(STATION_RULES) as AndonRuleKind[]) {
            const subject = `${summary.key}/${station.key}`;
            checked.add(slotKey(kind, subject));
            const condition = this.stationCondition(
              kind,
              summary.key,
              station.key,
              station.state,
              station.since,
              station.reason,
              now,
            );
            if (condition) holding.set(slotKey(kind, subject), condition);
          }
        }
      }
      const gatewayRule = this.rules.get('gateway-offline');
      const gateways = (await this.dataSource.query(`SELECT gateway_id, last_seen_at FROM gateways`)) as {
        gateway_id: string;
        last_seen_at: Date;
      }[];
      for (const g of gateways) {
        const key = slotKey('gateway-offline', g.gateway_id);
        checked.add(key);
        const lastSeen = new Date(g.last_seen_at).getTime();
        if (gatewayRule?.enabled && now - lastSeen > gatewayRule.thresholdSeconds * 1000) {
          holding.set(key, {
            rule: 'gateway-offline',
            subject: g.gateway_id,
            lines: [],
            station: null,
            gatewayId: g.gateway_id,
            since: lastSeen,
            message: `gateway "${g.gateway_id}" silent since ${new Date(lastSeen).toISOString()}`,
          });
        }
      }
      for (const [key, alert] of [...this.open]) {
        const disabled = !this.rules.get(alert.rule)?.enabled;
        if ((checked.has(key) || disabled) && !holding.has(key)) await this.clear(alert, now);
      }
      for (const [key, condition] of holding) if (!this.open.has(key)) await this.raise(condition, now);
    });
  }

  /** O(1) per state change: clears what the change ended, raises what has already lasted its threshold. */
  private onStateChanged(change: StationStateChangedPayload): void {
    const now = Date.now();
    for (const kind of Object.keys(STATION_RULES) as AndonRuleKind[]) {
      const key = slotKey(kind, `${change.line}/${change.station}`);
      const open = this.open.get(key);
      const condition = this.stationCondition(
        kind,
        change.line,
        change.station,
        change.state,
        change.since,
        change.reason,
        now,
      );
      if (open && change.state !== STATION_RULES[kind]) void this.enqueue(() => this.clear(open, now));
      else if (!open && condition)
        void this.enqueue(() => (this.open.has(key) ? Promise.resolve() : this.raise(condition, now)));
    }
  }

  /** The line rules for one line, from its live metrics at `now`. */
  private async checkLine(
    line: string,
    period: LivePeriod | null,
    throughput: LiveThroughput | null,
    now: number,
  ): Promise<void> {
    const signals = this.live.andonSignals(line);
    if (!signals || !period || !throughput) return;
    await this.checkLineRate(line, period, throughput, signals, now);
    await this.checkBottleneck(line, period, signals, now);
  }

  private async checkLineRate(
    line: string,
    period: LivePeriod,
    throughput: LiveThroughput,
    signals: LineAndonSignals,
    now: number,
  ): Promise<void> {
    const rule = this.rules.get('line-below-target');
    const open = this.open.get(slotKey('line-below-target', line));
    if (!rule?.enabled || rule.thresholdPercent === undefined) {
      this.belowSince.delete(line);
      if (open) await this.clear(open, now);
      return;
    }
    const step = stepLineBelowTarget(
      this.belowSince.get(line) ?? null,
      open !== undefined,
      {
        now,
        period,
        unitsPerHour: throughput.unitsPerHour,
        targetPerHour: throughput.targetPerHour,
        outputExpectedSince: signals.outputExpectedSince,
      },
      { thresholdPercent: rule.thresholdPercent, thresholdSeconds: rule.thresholdSeconds },
    );
    if (step.belowSince === null) this.belowSince.delete(line);
    else this.belowSince.set(line, step.belowSince);
    if (step.action === 'clear' && open) await this.clear(open, now);
    if (step.action !== 'raise' || step.belowSince === null || step.percent === null) return;
    const percent = Math.round(step.percent * 10) / 10;
    await this.raise(
      {
        rule: 'line-below-target',
        subject: line,
        lines: [line],
        station: null,
        gatewayId: null,
        since: step.belowSince,
        message: `${line} at ${percent} % of target over the last ${LINE_RATE_WINDOW_MINUTES} min (below ${rule.thresholdPercent} %)`,
        percentOfTarget: percent,
      },
      now,
    );
  }

  /**
   * A move replaces the line's open `bottleneck-moved` alert (cleared, then the new one raised); an alert left
   * from an earlier shift (or production day) clears. The stable bottleneck is followed even while the rule is
   * off, so turning it on does not report an old move.
   */
  private async checkBottleneck(line: string, period: LivePeriod, signals: LineAndonSignals, now: number) {
    const rule = this.rules.get('bottleneck-moved');
    const open = this.open.get(slotKey('bottleneck-moved', line));
    const step = stepBottleneckWatch(
      this.stableBottleneck.get(line) ?? null,
      signals.bottleneck,
      now,
      rule?.thresholdSeconds ?? 0,
    );
    this.stableBottleneck.set(line, step.stable);
    const enabled = rule?.enabled ?? false;
    if (open && (!enabled || step.moved || Date.parse(open.raisedAt) < period.start)) await this.clear(open, now);
    if (!enabled || !step.moved) return;
    await this.raise(
      {
        rule: 'bottleneck-moved',
        subject: line,
        lines: [line],
        station: step.moved.to,
        gatewayId: null,
        since: step.moved.since,
        message: `bottleneck moved from ${step.moved.from} to ${step.moved.to}`,
        fromStation: step.moved.from,
      },
      now,
    );
  }

  private stationCondition(
    kind: AndonRuleKind,
    line: string,
    station: string,
    state: StationState,
    since: number,
    reason: string | null,
    now: number,
  ): Condition | null {
    const rule = this.rules.get(kind);
    if (!rule?.enabled || state !== STATION_RULES[kind] || now - since < rule.thresholdSeconds * 1000) return null;
    const minutes = Math.floor((now - since) / 60_000);
    return {
      rule: kind,
      subject: `${line}/${station}`,
      lines: [line],
      station,
      gatewayId: null,
      since,
      message: `${station} ${state} for ${minutes} min${reason ? ` (${reason})` : ''}`,
    };
  }

  private async raise(condition: Condition, now: number): Promise<void> {
    const lines =
      condition.gatewayId === null
        ? condition.lines
        : (
            (await this.dataSource.query(
              `SELECT DISTINCT line_key FROM (SELECT line_key FROM station_events WHERE gateway_id = $1
                 ORDER BY seq DESC LIMIT 1000) recent ORDER BY line_key`,
              [condition.gatewayId],
            )) as { line_key: string }[]
          ).map((r) => r.line_key);
    const rows = (await this.dataSource.query(
      `INSERT INTO andon_alerts (rule, subject, lines, station_key, gateway_id, message, since, raised_at,
                                 from_station, percent_of_target)
       VALUES ($1, $2, $3::text[], $4, $5, $6, to_timestamp($7::double precision / 1000),
               to_timestamp($8::double precision / 1000), $9, $10)
       ON CONFLICT (rule, subject) WHERE cleared_at IS NULL DO NOTHING
       RETURNING ${ALERT_COLUMNS}`,
      [
        condition.rule,
        condition.subject,
        lines,
        condition.station,
        condition.gatewayId,
        condition.message,
        condition.since,
        now,
        condition.fromStation ?? null,
        condition.percentOfTarget ?? null,
      ],
    )) as AlertRow[];
    if (!rows[0]) return;
    const alert = toAlert(rows[0]);
    this.open.set(slotKey(alert.rule, condition.subject), alert);
    this.logger.log({ msg: 'alert raised', rule: alert.rule, subject: condition.subject });
    this.push('alert:raised', alert, now);
  }

  private async clear(alert: Alert, now: number): Promise<void> {
    const rows = (await this.dataSource.query(
      `WITH u AS (UPDATE andon_alerts SET cleared_at = to_timestamp($2::double precision / 1000)
                   WHERE id = $1 AND cleared_at IS NULL RETURNING ${ALERT_COLUMNS})
       SELECT * FROM u`,
      [alert.id, now],
    )) as AlertRow[];
    this.open.delete(slotKey(alert.rule, subjectOf(alert)));
    if (rows[0]) this.push('alert:cleared', toAlert(rows[0]), now);
  }

  private push(event: 'alert:raised' | 'alert:cleared' | 'alert:acknowledged', alert: Alert, now = Date.now()): void {
    for (const line of alert.lines) this.live.publish(event, line, { alert }, now);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const run = this.queue.then(() => (this.stopped ? undefined : work()));
    this.queue = run.catch((error: unknown) => {
      this.logger.error({ msg: 'andon evaluation failed', error: String(error) });
    });
    return this.queue as Promise<void>;
  }

  private async loadRules(): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT kind, enabled, threshold_seconds, threshold_percent FROM andon_rules`,
    )) as RuleRow[];
    this.rules = new Map(rows.map((r) => [r.kind, toRule(r)]));
  }
}

function subjectOf(alert: Alert): string {
  if (LINE_ANDON_RULES.includes(alert.rule)) return alert.lines[0]!;
  return alert.gatewayId ?? `${alert.lines[0]}/${alert.station}`;
}
