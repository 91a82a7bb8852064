import type { Role } from '@floorboard/shared';

/**
 * Who made a request, resolved once per request by the guard (REST) or per handshake (socket):
 * a person's access token, a wall screen's display token (always a viewer), or a gateway's ingest token.
 */
export interface Principal {
  kind: 'user' | 'display' | 'ingest';
  /** users.id, display_tokens.id or ingest_tokens.id; null for the bootstrap `FLOORBOARD_INGEST_TOKEN`. */
  id: string | null;
  /** Username or token name: what the audit log records as the actor. */
  name: string;
  /** null for ingest tokens: they have no role and reach only @IngestOnly routes. */
  role: Role | null;
}

export const BOOTSTRAP_INGEST_TOKEN_NAME = 'FLOORBOARD_INGEST_TOKEN';
