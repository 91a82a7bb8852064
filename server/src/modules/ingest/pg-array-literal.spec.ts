import pgUtils from 'pg/lib/utils.js';
import { booleanArrayLiteral, numberArrayLiteral, textArrayLiteral } from './pg-array-literal.js';

// node-postgres's own serialisation is the reference: what it sends, PostgreSQL reads back as the values given.
const { prepareValue } = pgUtils as unknown as { prepareValue(value: unknown): string };

describe('PostgreSQL array literals', () => {
  it('quotes and escapes text exactly as node-postgres does', () => {
    const values = ['plain', 'a"b', 'c\\d', '\\"', 'NULL', '', ',{}', 'ü 😀', ' spaced ', null];
    expect(textArrayLiteral(values)).toBe(prepareValue(values));
    expect(textArrayLiteral([undefined])).toBe('{NULL}');
    expect(textArrayLiteral([])).toBe('{}');
  });

  it('writes numbers as node-postgres does (unquoted) and refuses what is not finite', () => {
    const values = [0, 1, -5, 1_764_316_800_000, Number.MAX_SAFE_INTEGER, null];
    expect(numberArrayLiteral(values)).toBe(prepareValue(values).replace(/"/g, ''));
    expect(numberArrayLiteral([undefined, 2])).toBe('{NULL,2}');
    expect(() => numberArrayLiteral([Number.NaN])).toThrow(RangeError);
  });

  it('writes booleans as t and f', () => {
    expect(booleanArrayLiteral([true, false, false])).toBe('{t,f,f}');
    expect(booleanArrayLiteral([])).toBe('{}');
  });
});
