import { randomBytes } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SignJWT, jwtVerify } from 'jose';
import { ROLES, type Role } from '@floorboard/shared';

export interface AccessClaims {
  sub: string;
  username: string;
  role: Role;
}

/** Access tokens live one shift long; refresh tokens come with the access-control work. */
export const ACCESS_TOKEN_TTL_SECONDS = 8 * 3600;

/**
 * Signs and verifies access tokens (HS256). The signing key is generated once and kept in the
 * database, so tokens survive restarts and every server instance on the same database agrees.
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

  sign(claims: AccessClaims): Promise<string> {
    return new SignJWT({ username: claims.username, role: claims.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub)
      .setIssuedAt()
      .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
      .setIssuer('floorboard')
      .sign(this.key);
  }

  /** Returns the claims, or null for a missing, forged, expired or malformed token. */
  async verify(token: string | undefined | null): Promise<AccessClaims | null> {
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: 'floorboard', algorithms: ['HS256'] });
      const role = payload.role as Role;
      if (typeof payload.sub !== 'string' || typeof payload.username !== 'string' || !ROLES.includes(role)) return null;
      return { sub: payload.sub, username: payload.username, role };
    } catch {
      return null;
    }
  }
}
