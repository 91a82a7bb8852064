import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  REFRESH_TOKEN_PREFIX,
  REFRESH_TOKEN_TTL_SECONDS,
  type AuthSession,
  type Role,
} from '@floorboard/shared';
import { AppException, unauthorized } from '../../common/error-codes.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { AuditService } from '../audit/audit.service.js';
import { LoginThrottle } from './login-throttle.js';
import { hashToken, newSecretToken } from './secret-token.js';
import { TokenService } from './token.service.js';
import { normaliseUsername, UsersService } from './users.service.js';

interface RefreshRow {
  id: string;
  family_id: string;
  user_id: string;
  expired: boolean;
  rotated_at: Date | null;
  revoked_at: Date | null;
  username: string;
  role: Role;
  disabled: boolean;
}

/**
 * Sign-in sessions: short access tokens plus an opaque refresh token that rotates on every use
 * (12 h sliding). Presenting a refresh token that was already rotated means it was copied: the whole
 * session (its rotation family) is revoked.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Auth');
  private readonly throttle = new LoginThrottle();

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  async login(rawUsername: string, password: string, address: string): Promise<AuthSession> {
    const username = normaliseUsername(rawUsername);
    const retryAfterSeconds = this.throttle.retryAfterSeconds(username, address, Date.now());
    if (retryAfterSeconds > 0) {
      await this.recordFailure(username, address, 'locked');
      throw new AppException(
        'AUTH_LOCKED',
        `too many failed sign-ins: try again in ${retryAfterSeconds} s`,
        HttpStatus.TOO_MANY_REQUESTS,
        { retryAfterSeconds },
        { 'Retry-After': String(retryAfterSeconds) },
      );
    }
    const user = await this.users.verifyCredentials(username, password);
    if (!user) {
      this.throttle.fail(username, address, Date.now());
      await this.recordFailure(username, address, 'invalid-credentials');
      throw unauthorized('AUTH_INVALID_CREDENTIALS', 'wrong username or password');
    }
    this.throttle.succeed(username);
    const refreshToken = newSecretToken(REFRESH_TOKEN_PREFIX);
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`UPDATE users SET last_login_at = now() WHERE id = $1`, [user.id]);
      const [row] = (await tx.query(
        `INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at)
         VALUES (gen_random_uuid(), $1, $2, now() + make_interval(secs => $3)) RETURNING family_id`,
        [user.id, hashToken(refreshToken), REFRESH_TOKEN_TTL_SECONDS],
      )) as { family_id: string }[];
      // Sessions that ended more than a day ago are no longer needed to detect reuse.
      await tx.query(`DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'`);
      await this.audit.record(tx, {
        action: 'auth.logged-in',
        entity: 'session',
        entityId: row!.family_id,
        after: { username: user.username, address },
        actor: { name: user.username, role: user.role },
      });
    });
    return this.session(user.id, user.username, user.role, refreshToken);
  }

  async refresh(refreshToken: string): Promise<AuthSession> {
    const outcome = await this.dataSource.transaction(async (tx) => {
      const [row] = (await tx.query(
        `SELECT t.id, t.family_id, t.user_id, t.expires_at <= now() AS expired, t.rotated_at, t.revoked_at,
                u.username, u.role, u.disabled
           FROM refresh_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = $1 FOR UPDATE OF t`,
        [hashToken(refreshToken)],
      )) as RefreshRow[];
      if (!row || row.revoked_at) return { ok: false as const, code: 'AUTH_REQUIRED' };
      if (row.rotated_at) {
        await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [
          row.family_id,
        ]);
        await this.audit.record(tx, {
          action: 'auth.refresh-reused',
          entity: 'session',
          entityId: row.family_id,
          after: { username: row.username, revoked: true },
          actor: { name: row.username, role: row.role },
        });
        return { ok: false as const, code: 'AUTH_REQUIRED', reused: row.username };
      }
      if (row.expired) return { ok: false as const, code: 'AUTH_TOKEN_EXPIRED' };
      if (row.disabled) return { ok: false as const, code: 'AUTH_REQUIRED' };
      const next = newSecretToken(REFRESH_TOKEN_PREFIX);
      await tx.query(`UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1`, [row.id]);
      await tx.query(
        `INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
        [row.family_id, row.user_id, hashToken(next), REFRESH_TOKEN_TTL_SECONDS],
      );
      return { ok: true as const, row, next };
    });
    if (!outcome.ok) {
      this.metrics.authFailures.inc({ code: outcome.code });
      if ('reused' in outcome) {
        this.logger.warn({
          msg: 'a rotated refresh token was presented again; session revoked',
          username: outcome.reused,
        });
      }
      throw unauthorized(outcome.code, 'sign in again: this session has ended');
    }
    return this.session(outcome.row.user_id, outcome.row.username, outcome.row.role, outcome.next);
  }

  /** Ends the session the refresh token belongs to. Unknown or ended sessions: nothing to do. */
  async logout(refreshToken: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const [row] = (await tx.query(
        `SELECT t.family_id, u.username, u.role FROM refresh_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
        [hashToken(refreshToken)],
      )) as { family_id: string; username: string; role: Role }[];
      if (!row) return;
      await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [
        row.family_id,
      ]);
      await this.audit.record(tx, {
        action: 'auth.logged-out',
        entity: 'session',
        entityId: row.family_id,
        actor: { name: row.username, role: row.role },
      });
    });
  }

  private async session(userId: string, username: string, role: Role, refreshToken: string): Promise<AuthSession> {
    const accessToken = await this.tokens.sign({ sub: userId, username, role });
    return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, refreshToken, user: { username, role } };
  }

  /** `auth.login-failed` with the attempted username and address; never the password. */
  private async recordFailure(username: string, address: string, reason: 'invalid-credentials' | 'locked') {
    this.metrics.authFailures.inc({ code: reason === 'locked' ? 'AUTH_LOCKED' : 'AUTH_INVALID_CREDENTIALS' });
    await this.dataSource.transaction((tx) =>
      this.audit.record(tx, {
        action: 'auth.login-failed',
        entity: 'session',
        after: { username, address, reason },
        actor: { name: username, role: null },
      }),
    );
  }
}
