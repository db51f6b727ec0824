/**
 * The file's text encoding: UTF-8 unless the bytes say otherwise. A file that is not valid UTF-8 is read again
 * from the top as Windows-1252 (what Excel on Windows writes for "CSV (Comma delimited)"), its bytes turned
 * into UTF-8 as they stream in, so both parsers only ever see UTF-8. Then a byte Windows-1252 leaves undefined,
 * or an id that is UTF-8 text (a file pieced together from two exports), refuses the file naming the row:
 * never a replacement character in an id, never two ids merged into one.
 *
 * Why a table and not TextDecoder('windows-1252'): Node 20.18.3 and later decode that label as Latin-1, so
 * 0x80-0x9F come out as control characters (nodejs/node#60888), while browsers follow the WHATWG Encoding
 * Standard; the app and the CLI must read the same file the same way.
 */
import type { IdWriter } from '../ids';
import { cutValue } from './cell';
import { CsvError } from './types';

/**
 * Windows-1252 bytes 0x80-0x9F as Unicode (the WHATWG Encoding Standard's index-windows-1252); 0xA0-0xFF are
 * U+00A0-U+00FF. The five bytes Windows leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls
 * of the same number, as the WHATWG decoder does; this reader refuses them.
 */
const HIGH_ROW = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

/** The Unicode character of each Windows-1252 byte. */
export const WINDOWS_1252: readonly number[] = Array.from({ length: 256 }, (_, b) =>
  b >= 0x80 && b < 0xa0 ? HIGH_ROW[b - 0x80] : b,
);

/** UTF-8 bytes of each byte's character (index = byte), for the transcoder. */
const UTF8_OF: readonly Uint8Array[] = WINDOWS_1252.map((c) =>
  new TextEncoder().encode(String.fromCharCode(c)),
);

/** Byte of each non-ASCII character Windows-1252 can produce. */
const BYTE_OF = new Map<number, number>(
  WINDOWS_1252.map((c, b) => [c, b] as const).filter(([, b]) => b >= 0x80),
);

/** Characters that stand for bytes Windows-1252 leaves undefined. */
const UNDEFINED = /[\u0081\u008d\u008f\u0090\u009d]/;

/** Windows-1252 bytes as UTF-8; a chunk without bytes above 0x7F is returned as it is. */
export function windows1252ToUtf8(chunk: Uint8Array): Uint8Array {
  let high = 0;
  for (let i = 0; i < chunk.length; i++) if (chunk[i] >= 0x80) high++;
  if (high === 0) return chunk;
  // At most 3 UTF-8 bytes per character (the highest is U+2122).
  const out = new Uint8Array(chunk.length + 2 * high);
  let at = 0;
  for (let i = 0; i < chunk.length; i++) {
    const b = chunk[i];
    if (b < 0x80) out[at++] = b;
    else {
      const bytes = UTF8_OF[b];
      for (let k = 0; k < bytes.length; k++) out[at++] = bytes[k];
    }
  }
  return out.subarray(0, at);
}

/**
 * True when bytes [start, end) are well-formed UTF-8: exactly what TextDecoder('utf-8', { fatal: true })
 * accepts (no overlong forms, no surrogates, nothing above U+10FFFF, no cut sequence).
 */
function isUtf8(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const n = sequenceLength(buf, i, end);
    if (n === 0) return false;
    i += n;
  }
  return true;
}

/** Length of the well-formed multi-byte UTF-8 sequence at i, or 0. */
function sequenceLength(buf: Uint8Array, i: number, end: number): number {
  const b = buf[i];
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < end && buf[i + k] >= lo && buf[i + k] <= hi;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const lo = b === 0xe0 ? 0xa0 : 0x80;
    const hi = b === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const lo = b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Thrown inside a UTF-8 run at the first byte that is not UTF-8: the file is read again as Windows-1252. */
export class NotUtf8 {}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The file's Windows-1252 bytes behind a decoded text: the inverse of the transcoder. */
function windows1252Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => BYTE_OF.get(ch.charCodeAt(0)) ?? ch.charCodeAt(0));
}

/**
 * The refusal of an id holding U+FFFD (row 1-based, `column` as the file names it), in every reader: a program
 * wrote it for a character it could not read, so two customers may now share one id.
 */
export function replacementInId(row: number, column: string, text: string): CsvError {
  return new CsvError(
    `Row ${row}'s ${column} ${JSON.stringify(cutValue(text))} holds the replacement character U+FFFD (�), ` +
      'which a program writes for a character it could not read: the ids were damaged before this file ' +
      'was saved, and two customers may now share one id. Export the file again from its source, as UTF-8.',
    'not-text',
    { row },
  );
}

/** True when the bytes hold U+FFFD, the replacement character, as UTF-8 (EF BF BD). */
function holdsReplacement(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1))
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) return true;
  return false;
}

/** True when the bytes hold a well-formed multi-byte UTF-8 sequence somewhere. */
function holdsUtf8Sequence(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++)
    if (bytes[i] >= 0xc2 && sequenceLength(bytes, i, bytes.length) > 0) return true;
  return false;
}

function neither(where: string, text: string): CsvError {
  const byte = UNDEFINED.exec(text)![0].charCodeAt(0);
  return new CsvError(
    `${where} has a byte (0x${byte.toString(16).toUpperCase()}) that is neither UTF-8 nor Windows-1252 text: ` +
      'save the file as UTF-8 CSV.',
    'not-text',
  );
}

/**
 * The encoding rules of one run, applied where the reader turns bytes into text it keeps or shows: ids, cells
 * that are not numbers, and the lines of the header block. Columns the model does not use are only checked for
 * UTF-8 (so the encoding is the file's), never kept.
 */
export class TextRules {
  constructor(readonly encoding: 'utf-8' | 'windows-1252') {}

  /** Checks the last id written (called for ids with a byte above 0x7F only). */
  id(ids: IdWriter, row: number): void {
    const bytes = ids.lastBytes();
    if (this.encoding === 'utf-8') {
      if (!isUtf8(bytes, 0, bytes.length)) throw new NotUtf8();
      if (holdsReplacement(bytes)) {
        throw replacementInId(row, 'ID_code', decoder.decode(bytes));
      }
      return;
    }
    const text = decoder.decode(bytes);
    if (UNDEFINED.test(text)) throw withRow(neither(`Row ${row}'s ID_code`, text), row);
    const original = windows1252Bytes(text);
    if (holdsUtf8Sequence(original)) {
      const asUtf8 = new TextDecoder('utf-8').decode(original);
      throw withRow(
        new CsvError(
          'The file mixes two text encodings: it is not UTF-8 as a whole, so it was read as Windows-1252, but ' +
            `row ${row}'s ID_code is UTF-8 text (${JSON.stringify(cutValue(asUtf8))}, which Windows-1252 reads ` +
            `as ${JSON.stringify(cutValue(text))}). Save the file again with one encoding, UTF-8.`,
          'mixed-encoding',
        ),
        row,
      );
    }
  }

  /** Checks the bytes of a cell that is kept as text (fast path); the text is then decoded as UTF-8. */
  cellBytes(buf: Uint8Array, start: number, end: number): void {
    if (this.encoding === 'utf-8' && !isUtf8(buf, start, end)) throw new NotUtf8();
  }

  /** Checks the text of a cell that is kept as text (both paths, after decoding). */
  cellText(text: string, row: number, column: string): void {
    if (this.encoding === 'windows-1252' && UNDEFINED.test(text)) {
      throw withRow(neither(`Row ${row}, ${column}`, text), row);
    }
  }

  /** Checks a line of the header block (1-based line number). */
  line(text: string, line: number): void {
    if (this.encoding === 'windows-1252' && UNDEFINED.test(text)) throw neither(`Line ${line}`, text);
  }
}

function withRow(error: CsvError, row: number): CsvError {
  return new CsvError(error.message, error.code, { row });
}

/** The check RowSink runs on ids with a byte above 0x7F. */
export type IdCheck = (ids: IdWriter, row: number) => void;
