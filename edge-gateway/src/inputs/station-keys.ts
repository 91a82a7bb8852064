import { keySchema } from '@floorboard/shared';

/**
 * A protocol's id (UMH location/asset, Sparkplug edge node/device) as a Floorboard key: lower
 * case, every character a key does not allow becomes "-", leading separators are cut. Null when
 * nothing usable is left.
 */
export function toKey(raw: string): string | null {
  const key = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 64);
  return keySchema.safeParse(key).success ? key : null;
}

/** Where one protocol-side id lands in the plant; either part may be overridden. */
export interface StationOverride {
  line?: string;
  station?: string;
}
