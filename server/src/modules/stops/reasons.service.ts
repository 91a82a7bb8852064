import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { REASON_KEY_PATTERN, type StopReason } from '@floorboard/shared';
import { badRequest, notFound } from '../../common/error-codes.js';
import { AuditService } from '../audit/audit.service.js';
import { LiveStateService } from '../live/live-state.service.js';
import type { CreateReasonDto, UpdateReasonDto } from './dto/reason.dto.js';
import { loadReasonCatalogue, toReason, type ReasonRow } from './stop-queries.js';
import { conflict, unprocessable } from './stops.errors.js';

/** The stop reason catalogue: a tree (parent keys), seeded by the migration, edited by managers. */
@Injectable()
export class ReasonsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly live: LiveStateService,
  ) {}

  list(manager: EntityManager = this.dataSource.manager): Promise<StopReason[]> {
    return loadReasonCatalogue(manager);
  }

  /** 422 unless every key names a reason of the catalogue. */
  async requireKeys(tx: EntityManager, keys: string[]): Promise<void> {
    const rows = (await tx.query(`SELECT key FROM stop_reasons WHERE key = ANY($1::text[])`, [keys])) as {
      key: string;
    }[];
    const known = new Set(rows.map((r) => r.key));
    const missing = keys.filter((k) => !known.has(k));
    if (missing.length > 0) throw unprocessable('REASON_UNKNOWN', `no reason "${missing[0]}" in the catalogue`);
  }

  async create(dto: CreateReasonDto): Promise<StopReason> {
    const created = await this.dataSource.transaction(async (tx) => {
      await tx.query(`LOCK TABLE stop_reasons IN SHARE ROW EXCLUSIVE MODE`);
      if (await this.find(tx, dto.key)) throw conflict('REASON_EXISTS', `reason "${dto.key}" already exists`);
      const parent = dto.parent ?? null;
      if (parent !== null && !(await this.find(tx, parent))) {
        throw unprocessable('REASON_PARENT_UNKNOWN', `no parent reason "${parent}"`);
      }
      const [row] = (await tx.query(
        `INSERT INTO stop_reasons (key, name, parent_key, category, oee_bucket, position)
         VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(max(position), 0) + 1 FROM stop_reasons))
         RETURNING key, name, parent_key, category, oee_bucket`,
        [dto.key, dto.name, parent, dto.category, dto.oeeBucket],
      )) as ReasonRow[];
      const reason = toReason(row!);
      await this.audit.record(tx, { action: 'reason.created', entity: 'reason', entityId: reason.key, after: reason });
      return reason;
    });
    await this.live.catalogueChanged();
    return created;
  }

  async update(key: string, dto: UpdateReasonDto): Promise<StopReason> {
    assertKey(key);
    const updated = await this.dataSource.transaction(async (tx) => {
      await tx.query(`LOCK TABLE stop_reasons IN SHARE ROW EXCLUSIVE MODE`);
      const current = await this.find(tx, key);
      if (!current) throw notFound('REASON_NOT_FOUND', `no reason "${key}"`);
      const next: StopReason = {
        key,
        name: dto.name ?? current.name,
        parent: dto.parent === undefined ? current.parent : dto.parent,
        category: dto.category ?? current.category,
        oeeBucket: dto.oeeBucket ?? current.oeeBucket,
      };
      if (next.parent !== current.parent && next.parent !== null) await this.assertParent(tx, key, next.parent);
      if (JSON.stringify(next) === JSON.stringify(current)) {
        this.audit.noChange();
        return current;
      }
      await tx.query(
        `UPDATE stop_reasons SET name = $2, parent_key = $3, category = $4, oee_bucket = $5, updated_at = now()
          WHERE key = $1`,
        [key, next.name, next.parent, next.category, next.oeeBucket],
      );
      await this.audit.record(tx, {
        action: 'reason.updated',
        entity: 'reason',
        entityId: key,
        before: current,
        after: next,
      });
      return next;
    });
    await this.live.catalogueChanged();
    return updated;
  }

  /** Only a reason no stop is classified with and no other reason hangs under can go (else 409). */
  async remove(key: string): Promise<void> {
    assertKey(key);
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`LOCK TABLE stop_reasons IN SHARE ROW EXCLUSIVE MODE`);
      const current = await this.find(tx, key);
      if (!current) throw notFound('REASON_NOT_FOUND', `no reason "${key}"`);
      const [{ children, uses }] = (await tx.query(
        `SELECT (SELECT count(*) FROM stop_reasons WHERE parent_key = $1)::int AS children,
                (SELECT count(*) FROM stop_classifications WHERE reason_key = $1)::int AS uses`,
        [key],
      )) as [{ children: number; uses: number }];
      if (uses > 0) throw conflict('REASON_IN_USE', `reason "${key}" classifies ${uses} stop(s); rename it instead`);
      if (children > 0) throw conflict('REASON_HAS_CHILDREN', `reason "${key}" has ${children} child reason(s)`);
      await tx.query(`DELETE FROM stop_reasons WHERE key = $1`, [key]);
      await this.audit.record(tx, { action: 'reason.deleted', entity: 'reason', entityId: key, before: current });
    });
    // A station text matching the deleted reason's name or key is unclassified from now on.
    await this.live.catalogueChanged();
  }

  private async find(tx: EntityManager, key: string): Promise<StopReason | null> {
    const rows = (await tx.query(
      `SELECT key, name, parent_key, category, oee_bucket FROM stop_reasons WHERE key = $1`,
      [key],
    )) as ReasonRow[];
    return rows[0] ? toReason(rows[0]) : null;
  }

  /** The new parent must exist and must not be the reason itself or one of its descendants. */
  private async assertParent(tx: EntityManager, key: string, parent: string): Promise<void> {
    const rows = (await tx.query(
      `WITH RECURSIVE up(key, parent_key, depth) AS (
         SELECT key, parent_key, 0 FROM stop_reasons WHERE key = $1
         UNION ALL SELECT r.key, r.parent_key, up.depth + 1 FROM stop_reasons r JOIN up ON r.key = up.parent_key
          WHERE up.depth < 100)
       SELECT key FROM up`,
      [parent],
    )) as { key: string }[];
    if (rows.length === 0) throw unprocessable('REASON_PARENT_UNKNOWN', `no parent reason "${parent}"`);
    if (rows.some((r) => r.key === key)) {
      throw unprocessable('REASON_PARENT_CYCLE', `"${parent}" is "${key}" itself or below it`);
    }
  }
}

function assertKey(key: string): void {
  if (key.length > 64 || !REASON_KEY_PATTERN.test(key)) {
    throw badRequest('VALIDATION_FAILED', 'key must be a lowercase slug such as "motor-fault"');
  }
}
