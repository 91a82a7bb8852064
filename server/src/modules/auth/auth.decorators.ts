import { SetMetadata } from '@nestjs/common';
import type { Role } from '@floorboard/shared';

export const ACCESS_KEY = 'floorboard:access';
export const AUDIT_EXEMPT_KEY = 'floorboard:audit-exempt';

/**
 * How a REST route or socket event handler is reached. Without a decorator it needs `admin`
 * (deny by default), on REST and on sockets alike.
 */
export type Access = { kind: 'public' } | { kind: 'ingest' } | { kind: 'role'; minimum: Role };

export const DEFAULT_ACCESS: Access = { kind: 'role', minimum: 'admin' };

/** No authentication at all: health probes, metrics scrape, sign-in. */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies Access);
/** Gateways only, with an ingest token; user and display tokens are refused. */
export const IngestOnly = () => SetMetadata(ACCESS_KEY, { kind: 'ingest' } satisfies Access);
/** A person (or, for `viewer`, a display token) with at least this role (DESIGN.md §4.6). */
export const MinRole = (minimum: Role) => SetMetadata(ACCESS_KEY, { kind: 'role', minimum } satisfies Access);

/**
 * A mutation that is not a change of record (sign-in, refresh, sign-out). Every other non-GET route
 * must write an audit row; @IngestOnly routes are exempt by their nature.
 */
export const AuditExempt = () => SetMetadata(AUDIT_EXEMPT_KEY, true);
