import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DISPLAY_TOKEN_PREFIX, INGEST_TOKEN_PREFIX, type CreatedToken, type TokenView } from '@floorboard/shared';
import { notFound } from '../../common/error-codes.js';
import { AuditService } from '../audit/audit.service.js';
import { AuthEventsService } from './auth-events.service.js';
import { hashToken, newSecretToken } from './secret-token.js';

export type AccessTokenKind = 'display' | 'ingest';

const KINDS: Record<AccessTokenKind, { table: string; prefix: string; entity: string; notFound: string }> = {
  display: {
    table: 'display_tokens',
    prefix: DISPLAY_TOKEN_PREFIX,
    entity: 'display-token',
    notFound: 'DISPLAY_TOKEN_NOT_FOUND',
  },
  ingest: {
    table: 'ingest_tokens',
    prefix: INGEST_TOKEN_PREFIX,
    entity: 'ingest-token',
    notFound: 'INGEST_TOKEN_NOT_FOUND',
  },
};

interface TokenRow {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toView = (r: TokenRow): TokenView => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

/** `last_used_at` is written at most this often per token, so busy screens and gateways cost no writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Display tokens (wall screens, always viewers) and ingest tokens (gateways): opaque secrets shown
 * once, stored as SHA-256, revocable. Both kinds share this code and differ only in table and prefix.
 */
@Injectable()
export class AccessTokensService {
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: AuthEventsService,
  ) {}

  async list(kind: AccessTokenKind): Promise<TokenView[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, name, created_at, last_used_at, revoked_at FROM ${KINDS[kind].table} ORDER BY created_at, id`,
    )) as TokenRow[];
    return rows.map(toView);
  }

  async create(kind: AccessTokenKind, name: string, createdBy: string): Promise<CreatedToken> {
    const { table, prefix, entity } = KINDS[kind];
    const token = newSecretToken(prefix);
    return this.dataSource.transaction(async (tx) => {
      const [row] = (await tx.query(
        `INSERT INTO ${table} (name, token_hash, created_by) VALUES ($1, $2, $3)
         RETURNING id, name, created_at, last_used_at, revoked_at`,
        [name, hashToken(token), createdBy],
      )) as TokenRow[];
      await this.audit.record(tx, { action: `${entity}.created`, entity, entityId: row!.id, after: toView(row!) });
      return { id: row!.id, name: row!.name, token };
    });
  }

  /** Revokes; revoking an already revoked token changes nothing and still answers 204. */
  async revoke(kind: AccessTokenKind, id: string): Promise<void> {
    const { table, entity } = KINDS[kind];
    const revoked = await this.dataSource.transaction(async (tx) => {
      const [before] = (await tx.query(
        `SELECT id, name, created_at, last_used_at, revoked_at FROM ${table} WHERE id = $1 FOR UPDATE`,
        [id],
      )) as TokenRow[];
      if (!before) throw notFound(KINDS[kind].notFound, `no ${entity} ${id}`);
      if (before.revoked_at) {
        this.audit.noChange();
        return false;
      }
      // UPDATE … RETURNING answers [rows, rowCount] through TypeORM.
      const [[after]] = (await tx.query(
        `UPDATE ${table} SET revoked_at = now() WHERE id = $1 RETURNING id, name, created_at, last_used_at, revoked_at`,
        [id],
      )) as [TokenRow[], number];
      await this.audit.record(tx, {
        action: `${entity}.revoked`,
        entity,
        entityId: id,
        before: toView(before),
        after: toView(after!),
      });
      return true;
    });
    if (revoked && kind === 'display') this.events.revoked.next({ kind: 'display', id });
  }

  /** The active token with this secret, or null. Marks it used (at most once a minute). */
  async authenticate(kind: AccessTokenKind, token: string): Promise<{ id: string; name: string } | null> {
    const [row] = (await this.dataSource.query(
      `SELECT id, name FROM ${KINDS[kind].table} WHERE token_hash = $1 AND revoked_at IS NULL`,
      [hashToken(token)],
    )) as { id: string; name: string }[];
    if (!row) return null;
    const now = Date.now();
    if (now - (this.lastUsedWritten.get(row.id) ?? 0) >= LAST_USED_RESOLUTION_MS) {
      this.lastUsedWritten.set(row.id, now);
      await this.dataSource.query(`UPDATE ${KINDS[kind].table} SET last_used_at = now() WHERE id = $1`, [row.id]);
    }
    return row;
  }

  async activeCount(kind: AccessTokenKind): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${KINDS[kind].table} WHERE revoked_at IS NULL`,
    )) as { n: number }[];
    return row!.n;
  }
}
