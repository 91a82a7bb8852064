/**
 * SQL fragments for epoch milliseconds, the unit of the shared domain code. Used inside query texts:
 * `${FROM_EPOCH_MS} $2::bigint` is a timestamptz, `${EPOCH_MS('start_ts')}` a bigint.
 */
export const FROM_EPOCH_MS = `timestamptz 'epoch' + interval '1 millisecond' *`;

/**
 * A timestamptz column as epoch milliseconds. `date_part` works in double precision, cheaper per row than
 * `extract`'s numeric; exact for millisecond timestamps (the rounding cast absorbs the binary fraction).
 */
export const EPOCH_MS = (column: string) => `(date_part('epoch', ${column}) * 1000)::bigint`;
