import { describe, expect, it } from '@jest/globals';
import { deriveSeed, exponential, lognormal, mulberry32, triangular } from './prng.js';

describe('prng', () => {
  it('is reproducible per seed and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
    expect(deriveSeed(42, 'line', 'a')).not.toBe(deriveSeed(42, 'line', 'b'));
    expect(deriveSeed(42, 'line', 'a')).toBe(deriveSeed(42, 'line', 'a'));
  });

  it('draws distributions with the expected location', () => {
    const r = mulberry32(1);
    const n = 20_000;
    const mean = (f: () => number) => Array.from({ length: n }, f).reduce((s, x) => s + x, 0) / n;
    expect(mean(() => exponential(r, 600))).toBeCloseTo(600, -1.5);
    expect(mean(() => triangular(r, 10, 11, 13))).toBeCloseTo((10 + 11 + 13) / 3, 1);
    const logs = Array.from({ length: n }, () => lognormal(r, 60, 0.7)).sort((x, y) => x - y);
    expect(logs[n / 2]).toBeGreaterThan(57);
    expect(logs[n / 2]).toBeLessThan(63);
  });
});
