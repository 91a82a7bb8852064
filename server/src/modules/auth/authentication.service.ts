import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DISPLAY_TOKEN_PREFIX, INGEST_TOKEN_PREFIX, type Role } from '@floorboard/shared';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AccessTokensService } from './access-tokens.service.js';
import { BOOTSTRAP_INGEST_TOKEN_NAME, type Principal } from './principal.js';
import { secretsEqual } from './secret-token.js';
import { TokenService } from './token.service.js';

export type Authentication =
  { ok: true; principal: Principal } | { ok: false; code: 'AUTH_REQUIRED' | 'AUTH_TOKEN_EXPIRED' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns a bearer secret into a principal, the same way for REST and for the socket handshake. */
@Injectable()
export class AuthenticationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly accessTokens: AccessTokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A person's access token or a display token. The user's role and disabled flag are read from the
   * database, so a demotion or a disabled account takes effect on the next request.
   */
  async authenticate(token: string | null | undefined): Promise<Authentication> {
    if (!token) return { ok: false, code: 'AUTH_REQUIRED' };
    if (token.startsWith(DISPLAY_TOKEN_PREFIX)) {
      const display = await this.accessTokens.authenticate('display', token);
      return display
        ? { ok: true, principal: { kind: 'display', id: display.id, name: display.name, role: 'viewer' } }
        : { ok: false, code: 'AUTH_REQUIRED' };
    }
    if (token.startsWith(INGEST_TOKEN_PREFIX)) return { ok: false, code: 'AUTH_REQUIRED' };
    const verified = await this.tokens.verify(token);
    if (!verified.ok) return verified;
    if (!UUID.test(verified.claims.sub)) return { ok: false, code: 'AUTH_REQUIRED' };
    const [user] = (await this.dataSource.query(`SELECT id, username, role, disabled FROM users WHERE id = $1`, [
      verified.claims.sub,
    ])) as { id: string; username: string; role: Role; disabled: boolean }[];
    if (!user || user.disabled) return { ok: false, code: 'AUTH_REQUIRED' };
    return { ok: true, principal: { kind: 'user', id: user.id, name: user.username, role: user.role } };
  }

  /** A gateway's ingest token, or the bootstrap `FLOORBOARD_INGEST_TOKEN`; null otherwise. */
  async authenticateIngest(token: string): Promise<Principal | null> {
    if (this.config.ingestToken && secretsEqual(token, this.config.ingestToken)) {
      return { kind: 'ingest', id: null, name: BOOTSTRAP_INGEST_TOKEN_NAME, role: null };
    }
    if (!token.startsWith(INGEST_TOKEN_PREFIX)) return null;
    const ingest = await this.accessTokens.authenticate('ingest', token);
    return ingest ? { kind: 'ingest', id: ingest.id, name: ingest.name, role: null } : null;
  }

  /** Whether ingest can work at all: a bootstrap token is configured or an ingest token exists. */
  async ingestConfigured(): Promise<boolean> {
    return Boolean(this.config.ingestToken) || (await this.accessTokens.activeCount('ingest')) > 0;
  }
}
