import { randomBytes } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SignJWT, errors, jwtVerify } from 'jose';
import { ACCESS_TOKEN_TTL_SECONDS } from '@floorboard/shared';

export interface AccessClaims {
  /** users.id */
  sub: string;
}

export type VerifyResult =
  { ok: true; claims: AccessClaims } | { ok: false; code: 'AUTH_REQUIRED' | 'AUTH_TOKEN_EXPIRED' };

/**
 * Signs and verifies access tokens (HS256, 15 minutes). The signing key is generated once and kept in
 * the database, so tokens survive restarts and every server instance on the same database agrees.
 * A token names only the user: role and disabled state are read from the database on every request.
 */
@Injectable()
export class TokenService implements OnModuleInit {
  private key: Uint8Array;

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const candidate = randomBytes(32).toString('base64');
    await this.dataSource.query(
      `INSERT INTO app_secrets (name, value) VALUES ('access-token-key', $1) ON CONFLICT (name) DO NOTHING`,
      [candidate],
    );
    const [row] = (await this.dataSource.query(`SELECT value FROM app_secrets WHERE name = 'access-token-key'`)) as {
      value: string;
    }[];
    this.key = Buffer.from(row!.value, 'base64');
  }

  /** `ttlSeconds` other than the default is for tests of expiry. */
  sign(
    claims: AccessClaims & { username: string; role: string },
    ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ username: claims.username, role: claims.role, kind: 'user' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .setIssuer('floorboard')
      .sign(this.key);
  }

  async verify(token: string): Promise<VerifyResult> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: 'floorboard', algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string') return { ok: false, code: 'AUTH_REQUIRED' };
      return { ok: true, claims: { sub: payload.sub } };
    } catch (error) {
      return { ok: false, code: error instanceof errors.JWTExpired ? 'AUTH_TOKEN_EXPIRED' : 'AUTH_REQUIRED' };
    }
  }
}
