/**
 * Parquet tables through hyparquet (+ hyparquet-compressors for gzip, zstd, brotli and lz4): the footer is read
 * from the end of the file, then the needed columns (ID_code, target, var_0..var_199, matched by name like a CSV
 * header) slice by slice, one column at a time, turned into the reader's row-major batches through the CSV
 * reader's own RowSink, so the cell rules, issues and batches are the CSV reader's.
 *
 * Memory: one slice of at most `sliceRows` rows is held as float32, row-major (rows x 200 x 4 bytes), plus the
 * decoded values of the columns of one hyparquet call. A row group with an offset index is read slice by slice
 * (hyparquet skips the pages before the slice). One without (pyarrow's and DuckDB's default) is read whole, up to
 * `groupRows` rows (262,144 rows: 210 MB of float32): sliced, every slice would decode the group's pages from its
 * start again, which took DuckDB's 122,880-row groups 3x the time of 16,384-row ones on the 300 MB file.
 *
 * Speed: a column's pages reach onChunk as typed arrays when they hold no null (patches/hyparquet+1.31.5.patch;
 * unpatched, hyparquet assembles every page of a nullable column, pandas' and DuckDB's default, into one array of
 * boxed numbers), and those are copied straight into the slice (copyRuns). Few fresh buffers: in Chromium a
 * fresh ArrayBuffer costs more than the copy into it (scratch.ts), so snappy pages, hyparquet's aligned copies
 * and definition levels go into a ScratchArena reused by every hyparquet call (patches/hysnappy+1.1.1.patch lets
 * hysnappy write into it), a whole row group's column chunks come from one stream read forward through the file
 * into a reused window that hyparquet reads as views (the hyparquet patch again), and the slices' feature buffers
 * go round. On the 300 MB file in Chromium these took the Parquet drop from 10.2 s to 4.7-5.4 s, 1.1-1.2x the
 * CSV's (docs/benchmarks.md, 2026-12-01).
 */
import { parquetMetadataAsync, parquetRead, parquetSchema, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { snappyUncompressor } from 'hysnappy';
import { readNumber, targetOfText } from '../csv/cell';
import { noRows, ROLE_ID, ROLE_TARGET, RowSink, summaryOf } from '../csv/row-sink';
import { replacementInId, TextRules } from '../csv/text-encoding';
import { CsvError, type IssueKind, type ParseInfo, type ParseOptions, type ParseSummary } from '../csv/types';
import { FEATURE_COUNT, mapColumns } from '../schema';
import { idColumn } from './parquet-id';
import { ScratchArena } from './scratch';
import { FileError, type RandomAccess } from './types';

/**
 * Rows decoded at once: 16,384 rows hold 13 MB of float32 features (about what the CSV reader's chunks and batches
 * hold), and are many batches of 2,048 for the scorer.
 */
const SLICE_ROWS = 16_384;
/** Rows of a row group without an offset index decoded at once (see the module comment). */
const GROUP_ROWS = 262_144;
/**
 * Columns decoded per hyparquet call (see decode): 40 for a slice of up to 16,384 rows; a call over more rows (a
 * whole row group without an offset index) takes fewer, as many as make 40 x 16,384 values, at least 8. A call's
 * packed chunks and decompressed pages are held together (the window and the arena): in DuckDB's 122,880-row
 * groups (one page per column chunk, 0.73 MB packed, 0.99 MB decompressed) 40 columns a call held about 69 MB,
 * 8 columns about 14 MB; the drop's peak fell from 569-577 MB to 514-518 MB, in no more time
 * (docs/benchmarks.md, 2026-12-01).
 */
const COLUMNS_PER_READ = 40;
const MIN_COLUMNS_PER_READ = 8;

/** How many columns one hyparquet call decodes for `rows` rows. */
function columnsPerRead(rows: number): number {
  if (rows <= SLICE_ROWS) return COLUMNS_PER_READ;
  return Math.max(MIN_COLUMNS_PER_READ, Math.floor((COLUMNS_PER_READ * SLICE_ROWS) / rows));
}

/** hysnappy's WebAssembly decompressor, writing into a buffer we give it (patches/hysnappy+1.1.1.patch). */
const snappy = snappyUncompressor();

/** One problem cell found while decoding a column: reported in file order when its row is stored. */
interface CellIssue {
  row: number;
  column: number;
  text: string;
  kind: IssueKind;
}

/**
 * A string value whose bytes are not UTF-8 (Parquet strings must be): kept apart so that no id is ever read with
 * a replacement character in it; a feature cell shows it decoded with U+FFFD.
 */
class NotUtf8Text {
  constructor(readonly bytes: Uint8Array) {}
  toString(): string {
    return lossy.decode(this.bytes);
  }
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { ignoreBOM: true });

/** Strings up to this many bytes are tried as ASCII first (String.fromCharCode takes them as arguments). */
const ASCII_MAX = 256;

/**
 * The string of `bytes` when all of them are ASCII (then UTF-8 reads them the same), else null. In Chromium a
 * TextDecoder call per short string is slow: 200,000 ids like `test_123` took 216-525 ms to decode, 38-105 ms
 * this way (a page in Chromium 150, three rounds).
 */
function asciiText(bytes: Uint8Array): string | null {
  if (bytes.length > ASCII_MAX) return null;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return null;
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** hyparquet's string parser, but bytes that are not UTF-8 become a NotUtf8Text instead of U+FFFD. */
const parsers = {
  stringFromBytes(bytes: Uint8Array | undefined): string | NotUtf8Text | undefined {
    if (!bytes) return bytes;
    const ascii = asciiText(bytes);
    if (ascii !== null) return ascii;
    try {
      return strict.decode(bytes);
    } catch {
      return new NotUtf8Text(bytes);
    }
  },
};

/**
 * A cell's value by the CSV reader's rules: a float32 number, or the kind of problem and its text. A float NaN
 * is a missing value, as the text NaN is in a CSV; ±Infinity is non-finite.
 */
function cellOf(v: unknown): { value: number } | { kind: IssueKind; text: string } {
  switch (typeof v) {
    case 'number': {
      const value = Math.fround(v);
      if (Number.isFinite(value)) return { value };
      return v !== v ? { kind: 'missing', text: 'NaN' } : { kind: 'non-finite', text: String(v) };
    }
    case 'bigint':
      return cellOf(Number(v));
    case 'string': {
      const value = readNumber(v);
      return typeof value === 'number' ? { value } : { kind: value, text: v };
    }
    default:
      if (v === null || v === undefined) return { kind: 'empty', text: '' };
      return { kind: 'non-numeric', text: v instanceof Date ? v.toISOString() : String(v) };
  }
}

/** A blank ID_code, by the rule RowSink applies (empty, or only spaces and tabs): the row gets no prediction. */
const isBlankId = (id: string) => /^[ \t]*$/.test(id);

/** A float column's values [from, from + count) bound for the slice's rows [row, row + count), column `role`. */
interface FloatRun {
  data: Float64Array | Float32Array;
  from: number;
  count: number;
  row: number;
  role: number;
  /** The column's header position (for an issue). */
  column: number;
}

/** Rows of a slice filled at once by copyRuns: 128 rows of 800 bytes stay in the cache while every run writes. */
const COPY_BLOCK_ROWS = 128;

/**
 * Copies float runs of one hyparquet call into the row-major slice `out` (row r's cell `role` at r * 200 + role),
 * as float32, block of rows by block of rows: column by column, each value would land on another cache line (a
 * row is 800 bytes), and on the 300 MB file that strided copy was the reader's largest own cost. Calls `bad` for
 * each value that is not finite (slice row, run), in no particular order. Kept apart so each array type gets its
 * own fast loop.
 */
function copyRuns(
  runs: readonly FloatRun[],
  out: Float32Array,
  rows: number,
  bad: (row: number, run: FloatRun, value: number) => void,
): void {
  for (let block = 0; block < rows; block += COPY_BLOCK_ROWS) {
    const blockEnd = Math.min(rows, block + COPY_BLOCK_ROWS);
    for (const run of runs) {
      const first = Math.max(block, run.row);
      const last = Math.min(blockEnd, run.row + run.count);
      if (first >= last) continue;
      const { data } = run;
      let at = first * FEATURE_COUNT + run.role;
      for (let r = first, i = run.from + (first - run.row); r < last; r++, i++, at += FEATURE_COUNT) {
        const value = Math.fround(data[i]);
        if (value - value === 0) out[at] = value;
        else bad(r, run, data[i]);
      }
    }
  }
}

/**
 * An id cell as text, for a column hyparquet gives as exact text already (parquet-id.ts reads the others):
 * strings as they are, integers and floats as JavaScript writes them, null as empty.
 */
function idOf(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v);
}

/** Bytes skipped on the forward stream rather than opening a new one further on (see asyncBuffer). */
const SKIP_BYTES = 8 << 20;

/**
 * The async buffer hyparquet reads from, counting bytes read. A stretch loaded with `load` is copied into a buffer
 * reused by the next load, and a slice inside it is a view of it (patched hyparquet takes views for column
 * chunks), valid until the next load. Loads come in file order (row group after row group, columns left to right),
 * so they are served from one stream read forward through the file, opened again only to go back or to skip far:
 * random reads (`slice().arrayBuffer()` in the browser) are slower per byte, each a fresh buffer (scratch.ts), and
 * each stream costs an opening (a stream per load took 2.4-2.9 s of waiting on the 300 MB file's 65 loads).
 */
function asyncBuffer(source: RandomAccess, counter: { bytes: number }) {
  let window = new Uint8Array(0);
  let start = 0;
  let length = 0;
  let stream: AsyncIterator<Uint8Array> | null = null;
  /** The stream's current chunk, the next unread byte of it, and that byte's position in the file. */
  let chunk: Uint8Array = new Uint8Array(0);
  let at = 0;
  let position = 0;
  const close = async () => {
    const open = stream;
    stream = null;
    chunk = new Uint8Array(0);
    at = 0;
    await open?.return?.();
  };
  return {
    byteLength: source.size,
    async slice(from: number, to?: number): Promise<ArrayBuffer> {
      const end = Math.min(to ?? source.size, source.size);
      if (from >= start && end <= start + length) {
        // A view, typed as hyparquet's AsyncBuffer wants: its patched readers take either.
        return window.subarray(from - start, end - start) as unknown as ArrayBuffer;
      }
      const bytes = await source.read(from, end);
      counter.bytes += bytes.length;
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      return (whole ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
    },
    /** Reads bytes [from, to) into the window (what `slice` returned from the last one is overwritten). */
    async load(from: number, to: number, signal?: AbortSignal): Promise<void> {
      length = 0;
      if (window.length < to - from) window = new Uint8Array(to - from);
      if (!stream || from < position || from - position > SKIP_BYTES) {
        await close();
        stream = source.stream(from)[Symbol.asyncIterator]();
        position = from;
      }
      for (let filled = 0; filled < to - from;) {
        if (at === chunk.length) {
          signal?.throwIfAborted();
          const next = await stream.next();
          if (next.done) throw new Error(`the file ends at byte ${position}, inside a column chunk`);
          chunk = next.value;
          at = 0;
        }
        const n = Math.min(chunk.length - at, position < from ? from - position : to - from - filled);
        if (position >= from) {
          window.set(chunk.subarray(at, at + n), filled);
          filled += n;
        }
        at += n;
        position += n;
      }
      start = from;
      length = to - from;
      counter.bytes += length;
    },
    /** Closes the forward stream, if open. */
    close,
  };
}

/** The file's bytes [start, end) holding the given columns' chunks in a row group. */
function chunkSpan(group: FileMetaData['row_groups'][number], columns: Set<string>): [number, number] {
  let start = Infinity;
  let end = 0;
  for (const chunk of group.columns) {
    const meta = chunk.meta_data;
    if (!meta || !columns.has(meta.path_in_schema[0])) continue;
    const first = Number(meta.dictionary_page_offset || meta.data_page_offset);
    start = Math.min(start, first);
    end = Math.max(end, first + Number(meta.total_compressed_size));
  }
  return [start, end];
}

function damaged(what: string, error: unknown): unknown {
  if (error instanceof FileError || (error as Error | null)?.name === 'AbortError') return error;
  const message = (error as Error | null)?.message ?? String(error);
  return new FileError(
    `${what} is not a readable Parquet file (${message}): it may be cut short or damaged. Export it again.`,
    'damaged',
  );
}

/** 0-based rows [start, end) of a table. */
export interface RowRange {
  start: number;
  end: number;
}

/** A Parquet file opened: its header (top-level column names) and row count, read from the footer. */
export interface ParquetTable {
  header: string[];
  rows: number;
  /**
   * Reads every row into batches, like parseCsv (same options, same issues, same summary); with `rows`, only the
   * 0-based rows [start, end) (reading only the row groups and, with an offset index, the pages that hold them).
   */
  read(options: ParseOptions, rows?: RowRange): Promise<ParseSummary>;
  /** Bytes of the file read so far. */
  bytesRead(): number;
}

/**
 * What a date or time column holds, in words with its Parquet type ("dates (Parquet type DATE)"), or null for
 * any other column.
 */
function temporalKind(element: FileMetaData['schema'][number]): string | null {
  const { type, converted_type: converted, logical_type: logical } = element;
  if (type === 'INT96') return 'timestamps (Parquet type INT96, a legacy timestamp)';
  if (logical?.type === 'DATE' || converted === 'DATE') return 'dates (Parquet type DATE)';
  if (logical?.type === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS')
    return 'timestamps (Parquet type TIMESTAMP)';
  if (logical?.type === 'TIME' || converted === 'TIME_MILLIS' || converted === 'TIME_MICROS')
    return 'times of day (Parquet type TIME)';
  if (logical?.type === 'INTERVAL' || converted === 'INTERVAL') return 'intervals (Parquet type INTERVAL)';
  return null;
}

/**
 * Opens a Parquet file (reads its footer); `what` names it in messages. `sliceRows` and `groupRows` are the rows
 * decoded at once from a row group with and without an offset index (tests make them small).
 */
export async function openParquet(
  source: RandomAccess,
  what: string,
  { sliceRows = SLICE_ROWS, groupRows = GROUP_ROWS } = {},
): Promise<ParquetTable> {
  const counter = { bytes: 0 };
  const file = asyncBuffer(source, counter);
  let metadata: FileMetaData;
  let header: string[];
  let elements: FileMetaData['schema'];
  let nested: string[];
  try {
    metadata = await parquetMetadataAsync(file);
    // A damaged footer can still parse, with fewer schema elements than it says or a column without a name.
    const schema = parquetSchema(metadata);
    elements = schema.children.map((c) => c.element);
    header = elements.map((e) => e.name);
    if (header.some((name) => typeof name !== 'string')) throw new Error('a column has no name');
    nested = schema.children.filter((c) => c.children.length > 0).map((c) => c.element.name);
  } catch (error) {
    throw damaged(what, error);
  }
  const groups: { start: number; rows: number; step: number; meta: FileMetaData['row_groups'][number] }[] =
    [];
  let total = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    const indexed = group.columns.every((c) => c.offset_index_offset !== undefined);
    groups.push({
      start: total,
      rows,
      step: indexed ? sliceRows : Math.max(sliceRows, groupRows),
      meta: group,
    });
    total += rows;
  }

  async function read(options: ParseOptions, rows?: RowRange): Promise<ParseSummary> {
    const signal = options.signal;
    signal?.throwIfAborted();
    const columns = mapColumns(header, {
      requireTarget: options.requireTarget,
      targetColumn: options.targetColumn,
    });
    const needed = [columns.idIndex, columns.targetIndex, ...columns.featureIndex].filter((i) => i >= 0);
    const nestedNeeded = needed.map((i) => header[i]).filter((n) => nested.includes(n));
    if (nestedNeeded.length > 0) {
      throw new FileError(
        `${what}: column ${nestedNeeded.join(', ')} holds nested values (a list or a struct), not one number per row.`,
        'unsupported',
      );
    }
    const temporal = needed
      .filter((c) => c !== columns.idIndex)
      .map((c) => ({ name: header[c], kind: temporalKind(elements[c]) }))
      .filter((c): c is { name: string; kind: string } => c.kind !== null);
    if (temporal.length > 0) {
      // Read on, each would be a text that is not a number ("2019-07-25T00:00:00.000Z"): say what they are.
      const [first] = temporal;
      const more =
        temporal.length > 1
          ? ` (and ${temporal.length - 1} more: ${temporal
              .slice(1, 4)
              .map((c) => c.name)
              .join(', ')}${temporal.length > 4 ? ', …' : ''})`
          : '';
      throw new FileError(
        `${what}: column ${first.name} holds ${first.kind}, not numbers${more}. The model needs a number in every ` +
          `feature column and 0 or 1 in target: store ${first.name} as numbers and export the file again.`,
        'unsupported',
      );
    }
    if (total === 0) {
      // Not "a header but no data rows": a Parquet file has no header line.
      throw new CsvError(
        `The Parquet file has no rows: its ${header.length.toLocaleString('en-US')} columns are there, but it holds 0 rows.`,
        'no-rows',
      );
    }
    const info: ParseInfo = {
      columns,
      delimiter: ',',
      parser: 'parquet',
      bom: false,
      extraBoms: 0,
      encoding: 'utf-8',
      headerLine: 1,
      skippedLines: [],
    };
    // A DECIMAL, date or time id is read as stored and written as DuckDB writes it (parquet-id.ts), in a call of
    // its own: its schema element is the bare one, and a DECIMAL's byte arrays stay bytes (utf8: false).
    const idIndex = columns.idIndex;
    const idElement = elements[idIndex];
    const id = idColumn(idElement, header[idIndex], what);
    const idMetadata = id && {
      ...metadata,
      schema: metadata.schema.map((e) => (e === idElement ? id.element : e)),
    };
    options.onInfo?.(info);
    const sink = new RowSink(columns, header, options, new TextRules('utf-8'));
    // Header positions in file order: issues of a row come left to right, as in a CSV.
    const order = [...needed].sort((a, b) => a - b);
    const valueColumns = id ? order.filter((c) => c !== idIndex) : order;
    // This read's own window (see asyncBuffer): another read of the table must not overwrite it mid-call.
    const bytes = asyncBuffer(source, counter);
    // Decompressed pages, aligned copies of their values and their definition levels go into scratch bytes
    // reused by every hyparquet call (a fresh buffer per page cost more than decompressing it in Chromium; see
    // scratch.ts): a call's pages are all copied out by the time it returns, so the next call may overwrite them.
    const arena = new ScratchArena();
    const codecs = {
      ...compressors,
      SNAPPY: (input: Uint8Array, length: number) => snappy(input, length, arena.take(length)),
    };
    // The slices' feature buffers (not the batches': those are options.featureBuffer's), reused for the same
    // reason: a slice's goes back once it is stored.
    const spareSlices: Float32Array[] = [];
    const sliceBuffer = (cells: number) => {
      const k = spareSlices.findIndex((b) => b.length >= cells);
      if (k < 0) return new Float32Array(cells);
      const [buffer] = spareSlices.splice(k, 1);
      // Every cell is written by the decode, but a short column in a damaged file would leave stale values.
      return buffer.fill(0, 0, cells);
    };

    /** Decodes rows [start, end) of the needed columns, column by column, into a row-major float32 slice. */
    const decode = async (start: number, end: number) => {
      const n = end - start;
      const buffer = sliceBuffer(n * FEATURE_COUNT);
      const features = buffer.subarray(0, n * FEATURE_COUNT);
      const ids: string[] = new Array<string>(n).fill('');
      const targets = new Float32Array(n);
      const issues: CellIssue[] = [];
      let badId: { row: number; text: string; name: string; replacement?: true } | undefined;
      const put = (at: number, c: number, v: unknown) => {
        const role = sink.roles[c];
        if (role === ROLE_ID) {
          // Thrown once hyparquet returns: an error thrown in its onChunk would not reach the caller.
          if (v instanceof NotUtf8Text) badId ??= { row: start + at + 1, text: String(v), name: header[c] };
          // Valid UTF-8 holding U+FFFD: damaged before it was saved, refused as the CSV reader refuses it.
          else if (typeof v === 'string' && v.indexOf('\uFFFD') >= 0)
            badId ??= { row: start + at + 1, text: v, name: header[c], replacement: true };
          ids[at] = id && v !== null && v !== undefined ? id.text(v) : idOf(v);
          return;
        }
        const cell = cellOf(v);
        if (role === ROLE_TARGET) {
          // A boolean label is a label (true is 1, false is 0); a number is judged as stored (not rounded to
          // float32: 0.99999999 is not a label); text by the CSV rule.
          const t =
            typeof v === 'boolean'
              ? +v
              : typeof v === 'number' || typeof v === 'bigint'
                ? Number(v)
                : typeof v === 'string'
                  ? targetOfText(v)
                  : -1;
          targets[at] = t === 0 || t === 1 ? t : NaN;
          if (targets[at] !== targets[at]) {
            issues.push({
              row: at,
              column: c,
              text: 'text' in cell ? cell.text : String(v),
              kind: 'bad-target',
            });
          }
          return;
        }
        if ('value' in cell) {
          features[at * FEATURE_COUNT + role] = cell.value;
          // Counted for feature cells only, as the CSV reader counts them.
          if (typeof v === 'string' && v.indexOf(',') >= 0) sink.decimalCommas++;
        } else {
          features[at * FEATURE_COUNT + role] = NaN;
          issues.push({ row: at, column: c, text: cell.text, kind: cell.kind });
        }
      };
      const byName = new Map(order.map((c) => [header[c], c]));
      const runs: FloatRun[] = [];
      // A whole row group's columns are read in one stream per call (see asyncBuffer); a slice of a group is left
      // to hyparquet, which reads only the pages it needs.
      const group = groups.find((g) => g.start === start && g.start + g.rows === end);
      // A few columns per call: hyparquet's per-call planning is not free, and one call per column took most of
      // the time; all columns at once would hold the whole slice's packed and decoded columns together.
      const perRead = columnsPerRead(n);
      const calls: number[][] = id ? [[idIndex]] : [];
      for (let k = 0; k < valueColumns.length; k += perRead) calls.push(valueColumns.slice(k, k + perRead));
      for (const call of calls) {
        signal?.throwIfAborted();
        arena.reset();
        const columns = call.map((c) => header[c]);
        const idCall = id !== null && call[0] === idIndex && call.length === 1;
        try {
          if (group) {
            const [from, to] = chunkSpan(group.meta, new Set(columns));
            if (to > from && to <= source.size) await bytes.load(from, to, signal);
          }
          await parquetRead({
            file: bytes,
            metadata: idCall ? idMetadata! : metadata,
            utf8: idCall ? id.utf8 : true,
            columns,
            rowStart: start,
            rowEnd: end,
            compressors: codecs,
            alloc: (n: number) => arena.take(n),
            parsers,
            useOffsetIndex: true,
            onChunk({ columnName, columnData, rowStart }) {
              const c = byName.get(columnName)!;
              const role = sink.roles[c];
              const from = Math.max(start, rowStart);
              const to = Math.min(end, rowStart + columnData.length);
              const data = columnData as ArrayLike<unknown>;
              if (role >= 0 && (data instanceof Float64Array || data instanceof Float32Array)) {
                // The common case (a float column without nulls): no per-cell type checks, copied once the call
                // returns (the values are views of the arena and the window, valid until the next call).
                if (to > from)
                  runs.push({
                    data,
                    from: from - rowStart,
                    count: to - from,
                    row: from - start,
                    role,
                    column: c,
                  });
                return;
              }
              for (let r = from; r < to; r++) put(r - start, c, data[r - rowStart]);
            },
          });
        } catch (error) {
          throw damaged(what, error);
        }
        copyRuns(runs, features, n, (row, run, value) => put(row, run.column, value));
        runs.length = 0;
        if (badId?.replacement) {
          throw replacementInId(badId.row, badId.name, badId.text);
        }
        if (badId) {
          throw new CsvError(
            `Row ${badId.row}'s ${badId.name} is not UTF-8 text (${JSON.stringify(badId.text)}), as Parquet ` +
              'strings must be: export the file again.',
            'not-text',
            { row: badId.row },
          );
        }
      }
      issues.sort((a, b) => a.row - b.row || a.column - b.column);
      return { start, n, buffer, features, ids, targets, issues };
    };

    /**
     * Stores a decoded slice into the sink's batches: features in bulk for runs of rows with an ID_code, then ids,
     * targets and issues per row. A row without an ID_code is not delivered (RowSink reports it, or counts it as
     * an empty line when none of its cells holds a value, as a CSV line of bare commas).
     */
    const store = async (slice: Awaited<ReturnType<typeof decode>>) => {
      const valued = order.length - 1; // the needed columns but the id
      let next = 0;
      for (let r = 0; r < slice.n;) {
        if (isBlankId(slice.ids[r])) {
          let blank = 0;
          const first = next;
          while (next < slice.issues.length && slice.issues[next].row === r) {
            if (slice.issues[next++].text.trim() === '') blank++;
          }
          if (blank === valued) sink.emptyLine();
          else {
            sink.ids.push(slice.ids[r]);
            for (let k = first; k < next; k++) {
              const issue = slice.issues[k];
              sink.issue(sink.names[issue.column], issue.text, issue.kind);
            }
            sink.endRow();
          }
          r++;
        } else {
          let end = r + 1;
          const last = Math.min(slice.n, r + sink.capacity - sink.count);
          while (end < last && !isBlankId(slice.ids[end])) end++;
          sink.features.set(
            slice.features.subarray(r * FEATURE_COUNT, end * FEATURE_COUNT),
            sink.count * FEATURE_COUNT,
          );
          for (; r < end; r++) {
            sink.ids.push(slice.ids[r]);
            if (sink.targets) sink.targets[sink.count] = slice.targets[r];
            while (next < slice.issues.length && slice.issues[next].row === r) {
              const issue = slice.issues[next++];
              sink.issue(sink.names[issue.column], issue.text, issue.kind);
            }
            sink.endRow();
          }
        }
        if (sink.full) {
          await sink.flush();
          signal?.throwIfAborted();
        }
      }
      spareSlices.push(slice.buffer);
      // Two slices are in hand at most (one stored, the next decoded): keep the two largest buffers.
      if (spareSlices.length > 2) spareSlices.sort((a, b) => b.length - a.length).length = 2;
      options.onProgress?.(counter.bytes);
    };

    const slices: [number, number][] = [];
    const [first, last] = rows ? [Math.max(0, rows.start), Math.min(total, rows.end)] : [0, total];
    for (const g of groups) {
      const end = Math.min(g.start + g.rows, last);
      for (let s = Math.max(g.start, first); s < end; s += g.step)
        slices.push([s, Math.min(end, s + g.step)]);
    }
    // The next slice decodes while the current one's batches go out (the scorer works meanwhile), unless one of
    // them is a whole row group: two of those would be held at once.
    const small = ([s, e]: [number, number]) => e - s <= sliceRows;
    let pending = slices.length > 0 ? decode(...slices[0]) : null;
    try {
      for (let k = 0; k < slices.length; k++) {
        const slice = await pending!;
        const next = slices[k + 1];
        const ahead = next !== undefined && small(next) && small(slices[k]);
        pending = ahead ? decode(...next) : null;
        // A failed prefetch must not go unhandled while this slice is stored; it is awaited next round.
        pending?.catch(() => {});
        await store(slice);
        if (next !== undefined && !ahead) pending = decode(...next);
      }
    } finally {
      await bytes.close();
    }
    await sink.flush(true);
    if (sink.rows === 0) throw noRows(sink);
    return summaryOf(info, sink, counter.bytes);
  }

  return { header, rows: total, read, bytesRead: () => counter.bytes };
}
