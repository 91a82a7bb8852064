import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditEntry, AuditPage, AuditQuery, Role } from '@floorboard/shared';
import { badRequest } from '../../common/error-codes.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { currentRequestContext } from './request-context.js';

export interface AuditRecord {
  /** `entity.verb-past`, e.g. `user.created`. */
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  /** Defaults to the request's principal, or `system` outside a request (boot). */
  actor?: { name: string; role: Role | null };
}

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  role: Role | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
}

export const SYSTEM_ACTOR = { name: 'system', role: null } as const;

/**
 * The append-only audit log. `record()` takes the transaction of the change it describes, so the
 * change and its record commit together or not at all. The table refuses UPDATE/DELETE/TRUNCATE.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  async record(tx: EntityManager, entry: AuditRecord): Promise<void> {
    const context = currentRequestContext();
    const actor =
      entry.actor ??
      (context?.principal ? { name: context.principal.name, role: context.principal.role } : SYSTEM_ACTOR);
    await tx.query(
      `INSERT INTO audit_log (actor, role, action, entity, entity_id, before, after)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
      [
        actor.name,
        actor.role,
        entry.action,
        entry.entity,
        entry.entityId ?? null,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
      ],
    );
    if (context) context.audited += 1;
    this.metrics.auditRecords.inc({ action: entry.action });
  }

  /** Declares that the current request is an idempotent repeat that changed nothing, so has no record. */
  noChange(): void {
    const context = currentRequestContext();
    if (context) context.unchanged = true;
  }

  async page(query: AuditQuery): Promise<AuditPage> {
    const limit = query.limit ?? 100;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.from) add('at >= ?', new Date(query.from));
    if (query.to) add('at < ?', new Date(query.to));
    if (query.actor) add('actor = ?', query.actor);
    if (query.action) add('action = ?', query.action);
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      params.push(cursor.at, cursor.id);
      where.push(`(at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT id::text AS id, at, actor, role, action, entity, entity_id, before, after FROM audit_log
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as AuditRow[];
    const items = rows.slice(0, limit).map(toEntry);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor(last) : null };
  }
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    role: r.role,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
  };
}

function encodeCursor(row: AuditRow): string {
  return Buffer.from(`${row.at.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (!id || !/^\d{1,18}$/.test(id) || Number.isNaN(date.getTime())) {
    throw badRequest('AUDIT_CURSOR_INVALID', 'cursor is not a nextCursor this server gave out');
  }
  return { at: date, id };
}
