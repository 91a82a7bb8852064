/** A seeded PRNG and the few distributions the simulator needs; same seed, same numbers, any machine. */
export type Random = () => number;

/** mulberry32: tiny, fast, 32-bit state, good enough statistics for a simulation. Returns [0, 1). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts, so each station gets its own stream derived from one seed. */
export function deriveSeed(...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('\u0000')) {
    hash ^= char.codePointAt(0) as number;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function triangular(random: Random, min: number, mode: number, max: number): number {
  const u = random();
  const split = (mode - min) / (max - min);
  return u < split
    ? min + Math.sqrt(u * (max - min) * (mode - min))
    : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
}

export function exponential(random: Random, mean: number): number {
  return -mean * Math.log(1 - random());
}

/** Lognormal by median and shape; repair times are right-skewed (most short, a few long). */
export function lognormal(random: Random, median: number, sigma: number): number {
  const u1 = 1 - random();
  const u2 = random();
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * normal);
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}
