/**
 * Whether DuckDB's typed CSV reader may read a file's feature columns directly, as FLOAT or DOUBLE (the DuckDB
 * engine's fast path), or the file needs the checked text path (every cell read as text and checked by the
 * default engine's cell rule; DuckDB reads the 300 MB test file that way 5x slower).
 *
 * The typed reader is not the default engine's rule: it reads '1_000' as 1000, '+-1' as -1, 'nan(1)' as NaN
 * and a number padded with form feeds as the number, all of which the default engine refuses, and it refuses
 * missing-value words and quoted decimal commas, which the default engine reads. So the fast path is taken
 * only for files whose every feature cell is empty or written in the default engine's number grammar with a
 * '.' mark and nothing around it (src/core/csv/cell.ts): for those the two readers agree (empty is NULL, the
 * number is the same correctly rounded double, or for short numbers the same float32; plain-csv.test.ts
 * compares them on every such string of up to 5 characters and on 50,000 decimals next to float32 midpoints).
 * The check also sends to the checked text path, which gives the default engine's outcome and messages, every
 * file with a quote, a carriage return, a blank line, a line with too few or too many fields, or a row with
 * values and a blank id: then the typed read can neither fail nor differ.
 *
 * Cost: one pass over the bytes in this process (1.2-3 s for the 300 MB test file, by the machine's load).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

const NEWLINE = 10;

// States within a line: a feature cell along the grammar [+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?,
// counting digits up to SHORT_INT before the mark and SHORT_FRACTION after it; the id's cell, blank so far or with
// text; another column's cell; a field beyond the header's. Values from EVENTS up are events, not states: a
// cell or the line ends (with a short number or empty, or with a long one), or the fast path is refused.
const SHORT_INT = 7;
const SHORT_FRACTION = 8;
let nextState = 0;
const START = nextState++;
const SIGN = nextState++;
/** INT + k: k + 1 digits before the mark (k < SHORT_INT). */
const INT = nextState;
nextState += SHORT_INT;
const INT_LONG = nextState++;
const MARK = nextState++;
const MARK_LONG = nextState++;
const LEADING_MARK = nextState++;
/** FRACTION + k: k + 1 digits after the mark (k < SHORT_FRACTION), few before it. */
const FRACTION = nextState;
nextState += SHORT_FRACTION;
const FRACTION_LONG = nextState++;
const E = nextState++;
const E_SIGN = nextState++;
const EXP = nextState++;
const ID_BLANK = nextState++;
const ID_TEXT = nextState++;
const OTHER = nextState++;
const EXTRA_FIELD = nextState++;
const STATES = nextState;
const EVENTS = 64;
const CELL_END = EVENTS;
const LONG_CELL_END = EVENTS + 1;
const LINE_END = EVENTS + 2;
const LONG_LINE_END = EVENTS + 3;
const BLANK_ID_END = EVENTS + 4;
const REFUSE = EVENTS + 5;

/** Transition table: TABLE[state << 8 | byte], a state or an event; a byte outside the grammar refuses. */
const TABLE = (() => {
  const t = new Uint8Array(STATES * 256).fill(REFUSE);
  const set = (from: number, bytes: string, to: number) => {
    for (const b of bytes) t[(from << 8) | b.charCodeAt(0)] = to;
  };
  const digits = '0123456789';
  set(START, '+-', SIGN);
  set(START, digits, INT);
  set(START, '.', LEADING_MARK);
  set(SIGN, digits, INT);
  set(SIGN, '.', LEADING_MARK);
  for (let k = 0; k < SHORT_INT; k++) {
    set(INT + k, digits, k + 1 < SHORT_INT ? INT + k + 1 : INT_LONG);
    set(INT + k, '.', MARK);
    set(INT + k, 'eE', E);
  }
  set(INT_LONG, digits, INT_LONG);
  set(INT_LONG, '.', MARK_LONG);
  set(INT_LONG, 'eE', E);
  set(MARK, digits, FRACTION);
  set(MARK, 'eE', E);
  set(MARK_LONG, digits, FRACTION_LONG);
  set(MARK_LONG, 'eE', E);
  set(LEADING_MARK, digits, FRACTION);
  for (let k = 0; k < SHORT_FRACTION; k++) {
    set(FRACTION + k, digits, k + 1 < SHORT_FRACTION ? FRACTION + k + 1 : FRACTION_LONG);
    set(FRACTION + k, 'eE', E);
  }
  set(FRACTION_LONG, digits, FRACTION_LONG);
  set(FRACTION_LONG, 'eE', E);
  set(E, '+-', E_SIGN);
  set(E, digits, EXP);
  set(E_SIGN, digits, EXP);
  set(EXP, digits, EXP);
  t.fill(ID_TEXT, ID_BLANK << 8, (ID_TEXT + 1) << 8);
  set(ID_BLANK, ' \t', ID_BLANK);
  t.fill(OTHER, OTHER << 8, (OTHER + 1) << 8);
  const range = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);
  const short = [START, ...range(INT, SHORT_INT), MARK, ...range(FRACTION, SHORT_FRACTION), ID_TEXT, OTHER];
  for (const s of short) {
    set(s, ',', CELL_END);
    set(s, '\n', LINE_END);
  }
  for (const s of [INT_LONG, MARK_LONG, FRACTION_LONG, EXP]) {
    set(s, ',', LONG_CELL_END);
    set(s, '\n', LONG_LINE_END);
  }
  set(ID_BLANK, ',\n', BLANK_ID_END);
  for (let s = START; s < STATES; s++) set(s, '"\r', REFUSE);
  // EXTRA_FIELD refuses every byte: a line with more fields than the header.
  return t;
})();

/**
 * What DuckDB's typed reader may do with a file's feature columns:
 *   - 'float': every feature cell is empty or a short number (at most 7 digits before the mark, at most 8 after
 *     it, no exponent), which read as FLOAT directly is the model's fround(Number(text)): a decimal with at most
 *     8 decimals and below 2^24 in size is never within half a double's unit of a midpoint between two float32
 *     values without being it, so rounding once (text to float32) and twice (text to double to float32) agree;
 *   - 'double': every feature cell is empty or a plain number: read as DOUBLE, the same double as Number(text);
 *   - 'text': anything else: the cells must go through the checked text path.
 */
export type TypedRead = 'float' | 'double' | 'text';

/** True when bytes [from, to) of a line hold nothing but commas, spaces and tabs. */
function blankLine(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = bytes[i];
    if (c !== 44 && c !== 32 && c !== 9) return false;
  }
  return true;
}

/** The check over a file's bytes, fed in pieces. */
class Scanner {
  /** The state each field starts in, and one past the last field. */
  private readonly first: Uint8Array;
  private readonly last: number;
  private header = true;
  private field = 0;
  private state: number;
  /** A blank id: the line must be blank throughout (checked at its end, within one piece). */
  private blankId = false;
  /** Set once the file cannot take the fast path. */
  refused = false;
  /** Set once a feature cell holds a long number. */
  long = false;

  constructor(isFeature: readonly boolean[], idColumn: number) {
    this.first = Uint8Array.from([...isFeature, false], (f, j) =>
      j === isFeature.length ? EXTRA_FIELD : j === idColumn ? ID_BLANK : f ? START : OTHER,
    );
    this.last = isFeature.length - 1;
    this.state = this.first[0];
  }

  /** Scans bytes [0, n) of `bytes`, the file's next piece. */
  push(bytes: Uint8Array, n: number): void {
    if (this.refused) return;
    let i = 0;
    if (this.header) {
      i = bytes.subarray(0, n).indexOf(NEWLINE) + 1;
      if (i === 0) return;
      this.header = false;
    }
    const { first, last } = this;
    let { field, state, blankId } = this;
    let lineStart = field === 0 && state === first[0] ? i : -1;
    for (; i < n; i++) {
      const next = TABLE[(state << 8) | bytes[i]];
      if (next < CELL_END) {
        state = next;
      } else if (next === CELL_END) {
        state = first[++field];
      } else if (next === LONG_CELL_END) {
        this.long = true;
        state = first[++field];
      } else if (next === LINE_END || next === LONG_LINE_END) {
        if (next === LONG_LINE_END) this.long = true;
        if (field !== last || (blankId && !(lineStart >= 0 && blankLine(bytes, lineStart, i)))) {
          this.refused = true;
          return;
        }
        field = 0;
        state = first[0];
        blankId = false;
        lineStart = i + 1;
      } else if (next === BLANK_ID_END) {
        blankId = true;
        // The byte ends the id's cell (a comma or the line end): go on as for any other cell.
        state = OTHER;
        i--;
      } else {
        this.refused = true;
        return;
      }
    }
    this.field = field;
    this.state = state;
    this.blankId = blankId;
  }

  /** The verdict, once every piece is pushed. */
  end(): TypedRead {
    if (!this.refused && !(this.field === 0 && this.state === this.first[0] && !this.blankId)) {
      // A last line without a line end: as if it had one (a blank id cannot be checked here: refuse).
      this.push(new Uint8Array([NEWLINE]), 1);
      if (this.blankId) this.refused = true;
    }
    return this.refused ? 'text' : this.long ? 'double' : 'float';
  }
}

/** Bytes read at a time. */
const PIECE = 1 << 22;

/**
 * How DuckDB may read the file's feature columns (see TypedRead): 'float' or 'double' when every data line of the
 * file (plain or gzip) has one field per header name, no quote or carriage return, an id unless the line is all
 * empty, and in each column of `isFeature` an empty cell or a plain number. `idColumn` is the position of the id
 * among the header's fields.
 */
export async function typedRead(
  path: string,
  isFeature: readonly boolean[],
  idColumn: number,
  gzip: boolean,
): Promise<TypedRead> {
  const scanner = new Scanner(isFeature, idColumn);
  if (gzip) {
    const file = createReadStream(path);
    const stream = file.pipe(createGunzip());
    file.on('error', (error) => stream.destroy(error));
    try {
      for await (const chunk of stream as AsyncIterable<Uint8Array>) {
        scanner.push(chunk, chunk.length);
        if (scanner.refused) return 'text';
      }
    } finally {
      file.destroy();
      stream.destroy();
    }
    return scanner.end();
  }
  // One reused buffer: a stream's fresh 4 MiB pieces cost more than the scan.
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(PIECE);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, PIECE, null);
      if (bytesRead === 0) break;
      scanner.push(buffer, bytesRead);
      if (scanner.refused) return 'text';
    }
  } finally {
    await handle.close();
  }
  return scanner.end();
}

/**
 * How the check classes one feature cell's text (the same table): 'short' and 'long' numbers (or empty: short)
 * are read by DuckDB's typed reader as the default engine reads them (as FLOAT only when short); 'text' cells
 * need the checked text path. For the tests.
 */
export function classifyCell(text: string): 'short' | 'long' | 'text' {
  let state = START;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    state = c > 255 ? REFUSE : TABLE[(state << 8) | c];
    if (state >= EVENTS) return 'text';
  }
  const end = TABLE[(state << 8) | 44];
  return end === CELL_END ? 'short' : end === LONG_CELL_END ? 'long' : 'text';
}
