/**
 * A Parquet ID_code column's values as the text DuckDB writes for them in a CSV (`COPY … TO 'x.csv'`, time zone
 * UTC), so that a Parquet file and the CSV of the same table give the same ids, and two stored ids are never one
 * text. hyparquet turns DECIMALs into float64 (DECIMAL(38,0) 12345678901234567890 and …891 both became
 * 12345678901234567000, DECIMAL(10,2) 1.00 became 1) and dates and timestamps into a `Date` (an id
 * `2020-01-01T00:00:00.000Z`, milliseconds at most); such a column is read with its logical type taken off its
 * schema element, and its stored integers or bytes are written here:
 *
 * | stored                                               | text (DuckDB's)                                         |
 * | ---------------------------------------------------- | ------------------------------------------------------- |
 * | DECIMAL(p,s) in INT32, INT64, (FIXED_LEN_)BYTE_ARRAY | `123456789012345670`, `1.00`, `-0.05`; `.500` if p = s  |
 * | DATE (days since 1970-01-01)                         | `2020-01-01`, `0045-03-15 (BC)`, `12020-05-05`          |
 * | TIMESTAMP (ms, µs, ns)                               | `2020-01-01 12:34:56.5`, `+00` after it if UTC-adjusted |
 * | TIME (ms, µs, ns)                                    | `12:34:56.25`, `+00` after it if UTC-adjusted           |
 * | JSON                                                 | the JSON text as stored                                 |
 *
 * Strings, integers (INT64 and UINT64 exactly, as bigint), UUIDs and booleans are left to hyparquet, whose values
 * are already that text. INT96, INTERVAL, BSON, VARIANT, GEOMETRY and GEOGRAPHY ids are refused: no text of theirs
 * is both exact and DuckDB's.
 */
import type { SchemaElement, TimeUnit } from 'hyparquet';
import { FileError } from './types';

/** How to read an ID_code column whose values hyparquet would not give as exact text. */
export interface IdColumn {
  /** The schema element to read the column with: no logical or converted type, so values come as stored. */
  element: SchemaElement;
  /** hyparquet's `utf8` option for the call that reads it: false keeps a DECIMAL's byte arrays as bytes. */
  utf8: boolean;
  /** A stored value's text (not null: a null id is an empty cell). */
  text(value: unknown): string;
}

/** Units per second of a TIME or TIMESTAMP unit, and the digits of a fraction of a second in it. */
const UNITS: Record<TimeUnit, { perSecond: bigint; digits: number }> = {
  MILLIS: { perSecond: 1_000n, digits: 3 },
  MICROS: { perSecond: 1_000_000n, digits: 6 },
  NANOS: { perSecond: 1_000_000_000n, digits: 9 },
};

/** DuckDB's infinite dates and timestamps: ±(2^31 - 1) days, ±(2^63 - 1) units. */
const DATE_INFINITY = 2 ** 31 - 1;
const TIMESTAMP_INFINITY = 2n ** 63n - 1n;

/**
 * How `element` (the ID_code column's schema element; `name` its name, `what` the file, for messages) is read:
 * null when hyparquet's values are exact text already. Throws a FileError (`unsupported`) for a type whose ids
 * would have no exact text.
 */
export function idColumn(element: SchemaElement, name: string, what: string): IdColumn | null {
  const { type, converted_type: converted, logical_type: logical } = element;
  const bare: SchemaElement = {
    name: element.name,
    type,
    type_length: element.type_length,
    repetition_type: element.repetition_type,
    num_children: element.num_children,
  };
  const refuse = (kind: string) =>
    new FileError(
      `${what}: column ${name} holds ${kind} values, which cannot be read as ids exactly. Store ${name} as text ` +
        'or whole numbers and export the file again.',
      'unsupported',
    );
  if (type === 'INT96') throw refuse('INT96 (legacy timestamp)');
  for (const kind of ['INTERVAL', 'BSON'] as const) {
    if (converted === kind || logical?.type === kind) throw refuse(kind);
  }
  if (logical?.type === 'VARIANT' || logical?.type === 'GEOMETRY' || logical?.type === 'GEOGRAPHY') {
    throw refuse(logical.type);
  }
  if (converted === 'DECIMAL' || logical?.type === 'DECIMAL') {
    const scale = (logical?.type === 'DECIMAL' ? logical.scale : element.scale) ?? 0;
    const precision = (logical?.type === 'DECIMAL' ? logical.precision : element.precision) ?? Infinity;
    return {
      element: bare,
      utf8: false,
      text: (v) => decimalText(unscaledOf(v), scale, precision),
    };
  }
  if (converted === 'DATE' || logical?.type === 'DATE') {
    return { element: bare, utf8: true, text: (v) => dateText(Number(v)) };
  }
  const timestamp =
    logical?.type === 'TIMESTAMP'
      ? logical
      : converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS'
        ? // Without a logical type (older writers) DuckDB reads it as a plain TIMESTAMP.
          { unit: converted === 'TIMESTAMP_MILLIS' ? 'MILLIS' : 'MICROS', isAdjustedToUTC: false }
        : null;
  if (timestamp) {
    const { unit, isAdjustedToUTC } = timestamp as { unit: TimeUnit; isAdjustedToUTC: boolean };
    return {
      element: bare,
      utf8: true,
      text: (v) => timestampText(BigInt(v as bigint), unit, isAdjustedToUTC),
    };
  }
  const time =
    logical?.type === 'TIME'
      ? logical
      : converted === 'TIME_MILLIS' || converted === 'TIME_MICROS'
        ? { unit: converted === 'TIME_MILLIS' ? 'MILLIS' : 'MICROS', isAdjustedToUTC: false }
        : null;
  if (time) {
    const { unit, isAdjustedToUTC } = time as { unit: TimeUnit; isAdjustedToUTC: boolean };
    return {
      element: bare,
      utf8: true,
      text: (v) => clockText(BigInt(v as bigint), unit) + (isAdjustedToUTC ? '+00' : ''),
    };
  }
  if (converted === 'JSON' || logical?.type === 'JSON') {
    // hyparquet would parse it (an object id read "[object Object]"); read as text, it is the JSON as stored.
    return { element: bare, utf8: true, text: String };
  }
  return null;
}

/**
 * A DECIMAL's unscaled integer: a number (INT32), a bigint (INT64), or big-endian two's-complement bytes
 * (FIXED_LEN_BYTE_ARRAY, BYTE_ARRAY).
 */
export function unscaledOf(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  const bytes = v as Uint8Array;
  if (bytes.length === 0) return 0n;
  let value = 0n;
  let i = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (; i + 4 <= bytes.length; i += 4) value = (value << 32n) | BigInt(view.getUint32(i));
  for (; i < bytes.length; i++) value = (value << 8n) | BigInt(bytes[i]);
  return BigInt.asIntN(bytes.length * 8, value);
}

/**
 * DECIMAL(precision, scale) `unscaled` x 10^-scale as DuckDB writes it: every one of the `scale` decimals
 * (DECIMAL(10,2) 1 is `1.00`), a 0 before the point unless precision = scale (DECIMAL(3,3) 0.5 is `.500`).
 */
export function decimalText(unscaled: bigint, scale: number, precision: number): string {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    const whole = digits.slice(0, -scale);
    digits = `${whole === '0' && precision <= scale ? '' : whole}.${digits.slice(-scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

const pad = (n: number | bigint, width: number) => String(n).padStart(width, '0');

/**
 * A DATE (days since 1970-01-01, proleptic Gregorian) as DuckDB writes it: `2020-01-01`; a year after 9999 with
 * all its digits, a year before 1 as `0045-03-15 (BC)` (no year 0: 1 BC is year 0 of the arithmetic).
 */
export function dateText(days: number): string {
  if (days === DATE_INFINITY) return 'infinity';
  if (days === -DATE_INFINITY) return '-infinity';
  // Howard Hinnant's civil_from_days (http://howardhinnant.github.io/date_algorithms.html).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const text = `${pad(year > 0 ? year : 1 - year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  return year > 0 ? text : `${text} (BC)`;
}

/** A time of day `value` units after midnight: `12:34:56`, and its fraction of a second without trailing 0s. */
function clockText(value: bigint, unit: TimeUnit): string {
  const { perSecond, digits } = UNITS[unit];
  const seconds = value / perSecond;
  const fraction = value % perSecond;
  const text = `${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}`;
  return fraction === 0n ? text : `${text}.${pad(fraction, digits).replace(/0+$/, '')}`;
}

/**
 * A TIMESTAMP (`value` units since 1970-01-01 00:00) as DuckDB writes it: `2020-01-01 12:34:56.5`, with `+00`
 * when adjusted to UTC (DuckDB's TIMESTAMPTZ in the UTC time zone; in another zone DuckDB writes local time).
 */
export function timestampText(value: bigint, unit: TimeUnit, adjustedToUtc: boolean): string {
  if (value === TIMESTAMP_INFINITY) return 'infinity';
  if (value === -TIMESTAMP_INFINITY) return '-infinity';
  const perDay = UNITS[unit].perSecond * 86_400n;
  let days = value / perDay;
  let rest = value % perDay;
  if (rest < 0n) {
    days -= 1n;
    rest += perDay;
  }
  return `${dateText(Number(days))} ${clockText(rest, unit)}${adjustedToUtc ? '+00' : ''}`;
}
