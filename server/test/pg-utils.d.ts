/** node-postgres's internal serialiser, used by `pg-array-literal.spec.ts` as the reference (no published types). */
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): unknown };
  export default utils;
}
