import { randomBytes } from 'node:crypto';
import { HttpStatus, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { hash, verify } from '@node-rs/argon2';
import type { CreateUserRequest, Role, UpdateUserRequest, UserView } from '@floorboard/shared';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AppException, badRequest, notFound } from '../../common/error-codes.js';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { AuthEventsService } from './auth-events.service.js';

/** A hash to verify against when the user does not exist, so timing does not reveal usernames. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$1k+JCRcmN8vvnIcvp/zYYw$eHO2lq4ERHrBSskdQK4fIsQ6p9y5SQc/EHltTzp2FU4';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  disabled: boolean;
  created_at: Date;
  last_login_at: Date | null;
}

const COLUMNS = 'id, username, password_hash, role, disabled, created_at, last_login_at';

export const toUserView = (r: UserRow): UserView => ({
  id: r.id,
  username: r.username,
  role: r.role,
  disabled: r.disabled,
  createdAt: r.created_at.toISOString(),
  lastLoginAt: r.last_login_at?.toISOString() ?? null,
});

/** Usernames are stored and compared in lower case. */
export const normaliseUsername = (username: string) => username.trim().toLowerCase();

/** One lock for all user changes, so "is this the last enabled admin?" cannot race. */
const USERS_LOCK = `SELECT pg_advisory_xact_lock(hashtext('floorboard:users'))`;

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Users');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: AuthEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates the first admin when there is no user at all. */
  async onApplicationBootstrap(): Promise<void> {
    const [{ users }] = (await this.dataSource.query(`SELECT count(*)::int AS users FROM users`)) as [
      { users: number },
    ];
    if (users > 0) return;
    const password = this.config.adminPassword ?? randomBytes(12).toString('base64url');
    const passwordHash = await hash(password);
    const created = await this.dataSource.transaction(async (tx) => {
      await tx.query(USERS_LOCK);
      const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM users`)) as [{ n: number }];
      if (n > 0) return false;
      const row = await this.insert(tx, 'admin', passwordHash, 'admin');
      await this.audit.record(tx, {
        action: 'user.created',
        entity: 'user',
        entityId: row.id,
        after: toUserView(row),
        actor: SYSTEM_ACTOR,
      });
      return true;
    });
    if (!created) return;
    if (this.config.adminPassword) {
      this.logger.log({ msg: 'first admin created from FLOORBOARD_ADMIN_PASSWORD', username: 'admin' });
    } else {
      // Shown once, the only way into a fresh install that was given no password (DESIGN.md §3).
      this.logger.warn({
        msg: 'first admin created with a generated password; change it',
        username: 'admin',
        password,
      });
    }
  }

  /** The enabled user with this username and password, or null (never says which was wrong). */
  async verifyCredentials(username: string, password: string): Promise<UserView | null> {
    const [user] = (await this.dataSource.query(`SELECT ${COLUMNS} FROM users WHERE username = $1`, [
      normaliseUsername(username),
    ])) as UserRow[];
    const ok = await verify(user?.password_hash ?? DUMMY_HASH, password).catch(() => false);
    return user && ok && !user.disabled ? toUserView(user) : null;
  }

  async list(): Promise<UserView[]> {
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM users ORDER BY username`)) as UserRow[];
    return rows.map(toUserView);
  }

  async create(request: CreateUserRequest): Promise<UserView> {
    const username = normaliseUsername(request.username);
    const passwordHash = await hash(request.password);
    return this.dataSource.transaction(async (tx) => {
      await tx.query(USERS_LOCK);
      const [existing] = (await tx.query(`SELECT id FROM users WHERE username = $1`, [username])) as unknown[];
      if (existing) throw new AppException('USER_EXISTS', `user "${username}" exists already`, HttpStatus.CONFLICT);
      const row = await this.insert(tx, username, passwordHash, request.role);
      const view = toUserView(row);
      await this.audit.record(tx, { action: 'user.created', entity: 'user', entityId: row.id, after: view });
      return view;
    });
  }

  /**
   * Changes role, disabled flag and/or password. Refuses (409 LAST_ADMIN) to leave no enabled admin.
   * Disabling or a new password ends the user's sessions; their open sockets are closed.
   */
  async update(id: string, change: UpdateUserRequest): Promise<UserView> {
    if (change.role === undefined && change.disabled === undefined && change.password === undefined) {
      throw badRequest('VALIDATION_FAILED', 'nothing to change: give role, disabled or password');
    }
    const passwordHash = change.password === undefined ? undefined : await hash(change.password);
    const result = await this.dataSource.transaction(async (tx) => {
      await tx.query(USERS_LOCK);
      const [before] = (await tx.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id])) as UserRow[];
      if (!before) throw notFound('USER_NOT_FOUND', `no user ${id}`);
      const role = change.role ?? before.role;
      const disabled = change.disabled ?? before.disabled;
      const wasActiveAdmin = before.role === 'admin' && !before.disabled;
      if (wasActiveAdmin && (role !== 'admin' || disabled)) {
        const [{ n }] = (await tx.query(
          `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled AND id <> $1`,
          [id],
        )) as [{ n: number }];
        if (n === 0) {
          throw new AppException(
            'LAST_ADMIN',
            'this is the last enabled admin: make another user admin first',
            HttpStatus.CONFLICT,
          );
        }
      }
      const [[after]] = (await tx.query(
        `UPDATE users SET role = $2, disabled = $3, password_hash = COALESCE($4, password_hash), updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, role, disabled, passwordHash ?? null],
      )) as [UserRow[], number];
      const endSessions = (disabled && !before.disabled) || passwordHash !== undefined;
      if (endSessions) {
        await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [id]);
      }
      await this.audit.record(tx, {
        action: 'user.updated',
        entity: 'user',
        entityId: id,
        before: toUserView(before),
        after: { ...toUserView(after!), ...(passwordHash === undefined ? {} : { passwordChanged: true }) },
      });
      return { view: toUserView(after!), closeSockets: endSessions || role !== before.role };
    });
    if (result.closeSockets) this.events.revoked.next({ kind: 'user', id });
    return result.view;
  }

  private async insert(tx: EntityManager, username: string, passwordHash: string, role: Role): Promise<UserRow> {
    const [row] = (await tx.query(
      `INSERT INTO users (username, password_hash, role, disabled) VALUES ($1, $2, $3, false) RETURNING ${COLUMNS}`,
      [username, passwordHash, role],
    )) as UserRow[];
    return row!;
  }
}
