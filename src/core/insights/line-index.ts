/**
 * A sparse index of line starts in an uncompressed CSV file, so one customer's row can be read back with a small
 * slice of the File instead of streaming it again (~1 s for 300 MB). Recorded by the reader from the chunks it
 * parses (no second read); memory is 8 bytes per `every` lines (6 kB for 200,000 rows).
 */
import { CsvKernel, KERNEL_INPUT_AT } from '../csv/csv-kernel';
import { parseCsv } from '../csv';
import type { ParseOptions } from '../csv/types';
import { type CustomerRow, findRowAt, onlyRowWith } from './rows';

const LF = 10;
/** Most bytes copied into the kernel's memory at a time. */
const SLICE_BYTES = 1 << 20;

/** Where every `every`-th line starts. */
export interface LineIndex {
  every: number;
  /** offsets[k] = byte offset of physical line k * every (line 0 is the header). */
  offsets: Float64Array;
  /** Physical lines in the file (a last line without a line break counts). */
  lines: number;
  /** Total bytes. */
  size: number;
  /** Byte offset just after the header's line break. */
  headerEnd: number;
  /** The last byte is a line break (or the file is empty). */
  endsWithBreak: boolean;
}

/**
 * Builds a LineIndex from the chunks of a file as they pass (the reader feeds it the chunks it parses, so the
 * file is read once), or from the indexes of consecutive byte ranges of it (parsed in parallel, merged in file
 * order).
 */
export class LineIndexBuilder {
  private offsets: number[] = [0];
  private line = 0;
  private position = 0;
  private headerEnd = -1;
  private lastByte = 10;
  private kernel: CsvKernel | undefined;

  constructor(readonly every = 256) {}

  /** The next chunk of the file's bytes (only read during the call). */
  add(chunk: Uint8Array): void {
    // Line breaks are found by the CSV kernel (SIMD), in its memory: a copy costs less than indexOf's scan.
    const kernel = (this.kernel ??= new CsvKernel());
    for (let from = 0; from < chunk.length; from += SLICE_BYTES) {
      const slice = chunk.subarray(from, Math.min(chunk.length, from + SLICE_BYTES));
      kernel.reserve(slice.length).set(slice, KERNEL_INPUT_AT);
      const end = KERNEL_INPUT_AT + slice.length;
      // File offset = kernel address + shift.
      const shift = this.position - KERNEL_INPUT_AT;
      for (let at = kernel.find(KERNEL_INPUT_AT, end, LF); at >= 0; at = kernel.find(at + 1, end, LF)) {
        const line = ++this.line;
        const next = shift + at + 1;
        if (line === 1) this.headerEnd = next;
        if (line % this.every === 0) this.offsets.push(next);
      }
      this.lastByte = slice[slice.length - 1];
      this.position += slice.length;
    }
  }

  /**
   * The index of the next range of the file, built with `every` = 1 (every line start, relative to the range's
   * own start): the range must start at a line start, right where the bytes added so far end.
   */
  addRange(range: LineIndex): void {
    if (range.every !== 1) throw new RangeError('a range is merged from an index of every line');
    const base = this.position;
    // offsets[0] is the range's start, the line start the last range ended on.
    for (let k = 1; k < range.offsets.length; k++) {
      const line = ++this.line;
      const next = base + range.offsets[k];
      if (line === 1) this.headerEnd = next;
      if (line % this.every === 0) this.offsets.push(next);
    }
    if (range.size > 0) this.lastByte = range.endsWithBreak ? 10 : 0;
    this.position += range.size;
  }

  /** The index of everything added. */
  finish(): LineIndex {
    const { line, position } = this;
    // A last line without a line break is still a line.
    const endsWithBreak = this.lastByte === 10;
    const lines = line + (!endsWithBreak && position > 0 ? 1 : 0);
    return {
      every: this.every,
      offsets: Float64Array.from(this.offsets),
      lines,
      size: position,
      headerEnd: this.headerEnd < 0 ? position : this.headerEnd,
      endsWithBreak,
    };
  }
}

/** Scans the bytes once for line breaks. */
export async function buildLineIndex(chunks: AsyncIterable<Uint8Array>, every = 256): Promise<LineIndex> {
  const builder = new LineIndexBuilder(every);
  for await (const chunk of chunks) builder.add(chunk);
  return builder.finish();
}

/** Byte range [start, end) holding physical lines [from, to) at least (whole index blocks). */
export function blockRange(index: LineIndex, from: number, to: number): [number, number] {
  const first = Math.max(0, Math.floor(from / index.every));
  const last = Math.ceil(to / index.every);
  const start = index.offsets[Math.min(first, index.offsets.length - 1)];
  const end = last < index.offsets.length ? index.offsets[last] : index.size;
  return [start, end];
}

/**
 * Reads the data row at 0-based `fileIndex` whose ID_code is `id`, from the index blocks around its line
 * (data row i is physical line i + 1 when the file has no blank lines or quoted line breaks): the row at that line
 * when its id is `id`, else the slice's only row with that id (a blank line above moved it). Returns null
 * otherwise (an id repeated within the slice, or not in it: the caller then streams the whole file to the row's
 * position). The rows go through the same CSV reader as the batch, so the values are the same float32 numbers.
 */
export async function readIndexedRow(
  index: LineIndex,
  read: (start: number, end: number) => Promise<Uint8Array>,
  fileIndex: number,
  id: string,
): Promise<CustomerRow | null> {
  const line = fileIndex + 1;
  if (line >= index.lines) return null;
  const from = Math.max(1, line - 1);
  const [start, end] = blockRange(index, from, line + 2);
  // The slice's first data line: the block's first line, or line 1 for the first block (the header is read apart).
  const firstLine = Math.max(
    1,
    Math.min(Math.floor(from / index.every), index.offsets.length - 1) * index.every,
  );
  const header = await read(0, index.headerEnd);
  const body = await read(Math.max(start, index.headerEnd), end);
  const slice = (options: ParseOptions) =>
    parseCsv(async function* () {
      yield header;
      yield body;
    }, options);
  try {
    // An id on two rows of the slice must not explain the first when the second was asked for.
    const found = (await findRowAt(slice, line - firstLine, id)) ?? (await onlyRowWith(slice, id));
    // The slice's row numbers start at its own first line: the row is the one asked for.
    return found && { ...found, row: fileIndex + 1 };
  } catch {
    // A slice that does not read as this file's rows (e.g. a line break inside quotes): stream the file instead.
    return null;
  }
}
