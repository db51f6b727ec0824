/**
 * What a file is, from its first bytes (its "magic number"), never from its name: a browser may keep `.gz` on a
 * file it already unpacked, and a workbook may be renamed `.csv`. The one place that knows file signatures; the
 * CSV reader asks it to name what a non-text file probably is.
 */

/** The kinds the reader tells apart. */
export type ContentKind =
  | 'text'
  | 'utf16le'
  | 'utf16be'
  | 'gzip'
  | 'zip'
  | 'parquet'
  | 'xls'
  | 'png'
  | 'jpeg'
  | 'pdf'
  | 'bzip2'
  | 'xz'
  | '7z'
  | 'zstd'
  | 'tar'
  | 'json';

/** Bytes `sniff` wants to see (fewer is fine at the end of a file). */
export const SNIFF_BYTES = 8;

const SIGNATURES: [ContentKind, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  // Local file header, or an empty archive's end record, or a spanned archive's marker.
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['zip', [0x50, 0x4b, 0x05, 0x06]],
  ['zip', [0x50, 0x4b, 0x07, 0x08]],
  ['parquet', [0x50, 0x41, 0x52, 0x31]], // PAR1
  ['xls', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]], // OLE2 compound file (Excel 97-2003)
  ['png', [0x89, 0x50, 0x4e, 0x47]],
  ['jpeg', [0xff, 0xd8, 0xff]],
  ['pdf', [0x25, 0x50, 0x44, 0x46]], // %PDF
  ['bzip2', [0x42, 0x5a, 0x68]], // BZh
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  // UTF-16 byte order marks; checked after the longer signatures that also start with 0xff.
  ['utf16le', [0xff, 0xfe]],
  ['utf16be', [0xfe, 0xff]],
];

function startsWith(buf: Uint8Array, bytes: number[]): boolean {
  return buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);
}

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * JSON text (pandas' to_json, JSON Lines, an API's export): after an optional UTF-8 BOM and blanks, `{` or `[`
 * followed by a blank, `{`, `[`, `"`, `}`, `]` or the end of the head. No customer file starts so: its header
 * names ID_code, and a banner line above it (`[Report]`) has a letter after its bracket.
 */
function isJson(head: Uint8Array): boolean {
  let at = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (at < head.length && isSpace(head[at])) at++;
  if (head[at] !== 0x7b && head[at] !== 0x5b) return false;
  at++;
  while (at < head.length && isSpace(head[at])) at++;
  return at >= head.length || [0x7b, 0x5b, 0x22, 0x7d, 0x5d].includes(head[at]);
}

const isAsciiText = (b: number) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f);

/**
 * UTF-16 without a byte order mark (pandas' `encoding='utf-16-le'`, some exporters): the head's first 4 code
 * units are printable ASCII with a zero high byte, which no UTF-8 or Windows-1252 text has (they never hold a
 * zero byte, and the CSV reader refuses one as a control byte). Null for anything else.
 */
function bomlessUtf16(head: Uint8Array): 'utf16le' | 'utf16be' | null {
  if (head.length < SNIFF_BYTES) return null;
  let le = true;
  let be = true;
  for (let i = 0; i < SNIFF_BYTES; i += 2) {
    le &&= isAsciiText(head[i]) && head[i + 1] === 0;
    be &&= head[i] === 0 && isAsciiText(head[i + 1]);
  }
  return le ? 'utf16le' : be ? 'utf16be' : null;
}

/** Where a tar header holds its "ustar" magic (POSIX and GNU tar): seen only in a head of 262 bytes or more. */
const TAR_MAGIC_AT = 257;
const USTAR = [0x75, 0x73, 0x74, 0x61, 0x72]; // ustar

/**
 * The kind of content whose first bytes are `head` (anything without a known signature is 'text'). A tar
 * archive's signature sits at byte 257, past SNIFF_BYTES: the CSV reader, which holds the first line, finds it.
 */
export function sniff(head: Uint8Array): ContentKind {
  if (startsWith(head.subarray(TAR_MAGIC_AT), USTAR)) return 'tar';
  for (const [kind, bytes] of SIGNATURES) if (startsWith(head, bytes)) return kind;
  return bomlessUtf16(head) ?? (isJson(head) ? 'json' : 'text');
}

/** What a kind is, for messages ("It is a PNG image."); '' for text. */
export function describeKind(kind: ContentKind): string {
  switch (kind) {
    case 'text':
      return '';
    case 'utf16le':
    case 'utf16be':
      return 'It is UTF-16 text.';
    case 'gzip':
      return 'It is gzip-compressed.';
    case 'zip':
      return 'It is a ZIP archive.';
    case 'parquet':
      return 'It is a Parquet file.';
    case 'xls':
      return 'It is an Excel 97-2003 workbook (.xls) or another Office file: export the sheet as CSV.';
    case 'png':
      return 'It is a PNG image.';
    case 'jpeg':
      return 'It is a JPEG image.';
    case 'pdf':
      return 'It is a PDF document.';
    case 'bzip2':
      return 'It is bzip2-compressed: unpack it, or compress it with gzip or zip instead.';
    case 'xz':
      return 'It is xz-compressed: unpack it, or compress it with gzip or zip instead.';
    case '7z':
      return 'It is a 7-Zip archive: unpack it, or pack it as a .zip instead.';
    case 'zstd':
      return 'It is zstd-compressed: unpack it, or compress it with gzip or zip instead.';
    case 'tar':
      return (
        'It is a tar archive (a .tar, or the inside of a .tar.gz or .tgz): extract the CSV from it ' +
        '(tar -xzf file.tar.gz), or pack the CSV as a .zip or a plain .csv.gz instead.'
      );
    case 'json':
      return (
        "It is JSON: save the table as CSV (pandas: df.to_csv('customers.csv', index=False); R: " +
        "write.csv(df, 'customers.csv', row.names = FALSE))."
      );
  }
}
