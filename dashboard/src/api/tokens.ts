import type { CreatedToken, TokenView } from '@floorboard/shared';
import { apiRequest } from './client';

/**
 * `display`: a wall screen's bearer token (acts as a viewer); `ingest`: an edge gateway's token for
 * `POST /ingest/events`. Both are shown once when created and can be revoked.
 */
export type TokenKind = 'display' | 'ingest';

const PATHS: Record<TokenKind, string> = { display: '/display-tokens', ingest: '/ingest-tokens' };

export function fetchTokens(kind: TokenKind): Promise<TokenView[]> {
  return apiRequest<TokenView[]>(PATHS[kind]);
}

export function createToken(kind: TokenKind, name: string): Promise<CreatedToken> {
  return apiRequest<CreatedToken>(PATHS[kind], { method: 'POST', body: { name } });
}

export function revokeToken(kind: TokenKind, id: string): Promise<void> {
  return apiRequest<void>(`${PATHS[kind]}/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
