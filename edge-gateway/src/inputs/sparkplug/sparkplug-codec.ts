import Long from 'long';
import sparkplugPayload from 'sparkplug-payload';
import protoModule from 'sparkplug-payload/lib/sparkplugPayloadProto.js';

/**
 * Sparkplug B payload decoding the way a host must do it (STANDARDS.md §1, Tahu pitfalls):
 * the generated protobuf decoder (not `decodePayload`, which turns datatype-less DATA metrics
 * into `value: null`), datatypes taken from the birth, Long values converted, UInt32 accepted in
 * either `int_value` or `long_value`, Int8/Int16/Int32 sign-normalised, garbage caught.
 */
const Payload = protoModule.org.eclipse.tahu.protobuf.Payload;

export const DataType = {
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
} as const;

export type MetricValue = number | string | boolean | null;

export interface RawMetric {
  name?: string;
  alias?: number;
  /** 0 when the sender left it out (DATA with aliases). */
  datatype: number;
  timestamp?: number;
  historical: boolean;
  isNull: boolean;
  /** Which value field was set (`intValue`, `longValue`, …), undefined if none. */
  field?: string;
  raw: unknown;
}

export interface RawPayload {
  timestamp?: number;
  seq?: number;
  metrics: RawMetric[];
}

const toNumber = (v: unknown): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (Long.isLong(v)) return (v as Long).toNumber();
  return typeof v === 'number' ? v : undefined;
};

/** Decodes a Sparkplug B payload; throws on bytes that are not one. */
export function decodeSparkplugPayload(bytes: Uint8Array): RawPayload {
  const message = Payload.decode(bytes);
  const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  return {
    timestamp: own(message, 'timestamp') ? toNumber(message.timestamp) : undefined,
    seq: own(message, 'seq') ? toNumber(message.seq) : undefined,
    metrics: (message.metrics ?? []).map((m) => {
      const field = (m as unknown as { value?: string }).value;
      return {
        name: own(m, 'name') ? (m.name ?? undefined) : undefined,
        alias: own(m, 'alias') ? toNumber(m.alias) : undefined,
        datatype: m.datatype ?? 0,
        timestamp: own(m, 'timestamp') ? toNumber(m.timestamp) : undefined,
        historical: m.isHistorical === true,
        isNull: m.isNull === true,
        field,
        raw: field ? (m as unknown as Record<string, unknown>)[field] : undefined,
      };
    }),
  };
}

/** The largest value of an unsigned/signed counter type, for rollover detection; undefined for 64 bits and floats. */
export function counterMax(datatype: number): number | undefined {
  switch (datatype) {
    case DataType.Int8:
      return 127;
    case DataType.Int16:
      return 32_767;
    case DataType.Int32:
      return 2_147_483_647;
    case DataType.UInt8:
      return 255;
    case DataType.UInt16:
      return 65_535;
    case DataType.UInt32:
      return 4_294_967_295;
    default:
      return undefined;
  }
}

/**
 * The metric's value read with `datatype` (from the birth when the DATA message left it out).
 * Returns undefined when the value does not fit the datatype.
 */
export function metricValue(metric: RawMetric, datatype: number): MetricValue | undefined {
  if (metric.isNull) return null;
  const raw = metric.raw;
  switch (datatype) {
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.UInt8:
    case DataType.UInt16:
    case DataType.UInt32: {
      const n = Long.isLong(raw) ? (raw as Long).low : typeof raw === 'number' ? raw : undefined;
      if (n === undefined || !Number.isFinite(n)) return undefined;
      if (datatype === DataType.Int8) return ((n & 0xff) << 24) >> 24;
      if (datatype === DataType.Int16) return ((n & 0xffff) << 16) >> 16;
      if (datatype === DataType.Int32) return n | 0;
      if (datatype === DataType.UInt8) return n & 0xff;
      if (datatype === DataType.UInt16) return n & 0xffff;
      return n >>> 0;
    }
    case DataType.Int64:
      return Long.isLong(raw) ? (raw as Long).toSigned().toNumber() : typeof raw === 'number' ? raw : undefined;
    case DataType.UInt64:
    case DataType.DateTime:
      return Long.isLong(raw) ? (raw as Long).toUnsigned().toNumber() : typeof raw === 'number' ? raw : undefined;
    case DataType.Float:
    case DataType.Double:
      return typeof raw === 'number' ? raw : Long.isLong(raw) ? (raw as Long).toNumber() : undefined;
    case DataType.Boolean:
      return typeof raw === 'boolean' ? raw : undefined;
    case DataType.String:
    case DataType.Text:
      return typeof raw === 'string' ? raw : undefined;
    default:
      return undefined;
  }
}

/** The Rebirth NCMD payload (`Node Control/Rebirth` = true). */
export function rebirthPayload(timestamp: number): Buffer {
  const spb = sparkplugPayload.get('spBv1.0');
  if (!spb) throw new Error('sparkplug-payload has no spBv1.0 codec');
  return Buffer.from(
    spb.encodePayload({ timestamp, metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] }),
  );
}
