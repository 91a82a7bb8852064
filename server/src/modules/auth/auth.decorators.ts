import { SetMetadata } from '@nestjs/common';
import type { Role } from '@floorboard/shared';

export const ACCESS_KEY = 'floorboard:access';

/** How a route is reached. Routes without a decorator need `admin` (deny by default). */
export type Access = { kind: 'public' } | { kind: 'ingest' } | { kind: 'role'; minimum: Role };

/** No authentication at all: health probes, metrics scrape, login. */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies Access);
/** Gateways only, with the ingest token. */
export const IngestOnly = () => SetMetadata(ACCESS_KEY, { kind: 'ingest' } satisfies Access);
/** A signed-in user with at least this role (DESIGN.md §4.6). */
export const MinRole = (minimum: Role) => SetMetadata(ACCESS_KEY, { kind: 'role', minimum } satisfies Access);
