/** The predictions file as Kaggle expects it (`ID_code,target`), written batch by batch. */
import { withRoom } from '../grow';
import { idAt, idStart, type PackedIds } from '../ids';
import { formatProbability, PREDICTIONS_HEADER, predictionLine, writeProbability } from '../output';

/** First line of predictions.csv (output.ts's PREDICTIONS_HEADER), with its line break. */
export const PREDICTIONS_HEADER_LINE = `${PREDICTIONS_HEADER}\n`;
/** First line of predictions.csv with the `flagged` column, with its line break. */
export const FLAGGED_HEADER_LINE = `${PREDICTIONS_HEADER},flagged\n`;

const COMMA = 44;
const LF = 10;
const DIGIT_ZERO = 48;
const DIGIT_ONE = 49;
const encoder = new TextEncoder();
/** Room for one probability's text: String() of a 6-digit double is at most 24 characters ("-1.23456e-300" and the like). */
const SCORE_ROOM = 24;

/** Whether an id's bytes go into the file as they are: no formula start, nothing to quote. */
function plainId(bytes: Uint8Array, start: number, end: number): boolean {
  if (end > start) {
    const first = bytes[start];
    // = + - @ tab CR: see safeSpreadsheetCell.
    if (first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13)
      return false;
  }
  for (let k = start; k < end; k++) {
    const b = bytes[k];
    // " , CR LF: see csvField.
    if (b === 34 || b === 44 || b === 13 || b === 10) return false;
  }
  return true;
}

/**
 * Writes predictions.csv lines (predictionLine's, each with a line break) as UTF-8 bytes into one reused buffer,
 * taken in chunks: no string per row outlives the call, so a large file leaves no trail of line strings for the
 * collector (they had kept the scoring worker's young generation at its maximum size and filled its large-object
 * space), and a few large chunks make fewer Blob parts than one per batch.
 */
export class PredictionLinesWriter {
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(1 << 16);
  private used = 0;

  /** Bytes written and not yet taken. */
  get size(): number {
    return this.used;
  }

  /** Everything written since the last take; the view is valid until the next write. */
  take(): Uint8Array<ArrayBuffer> {
    const out = this.buf.subarray(0, this.used);
    this.used = 0;
    return out;
  }

  /**
   * Appends the lines for rows [start, end); with `flags` (0/1 per row, indexed like `ids`), each line ends in
   * `,0` or `,1`: the `flagged` column.
   */
  write(
    ids: PackedIds,
    probabilities: Float32Array,
    start = 0,
    end = Math.min(ids.count, probabilities.length),
    flags?: Uint8Array,
  ): void {
    const { bytes, ends } = ids;
    for (let i = start; i < end; i++) {
      const from = idStart(ids, i);
      const to = ends[i];
      const p = probabilities[i];
      if (!plainId(bytes, from, to)) {
        this.text(`${predictionLine(idAt(ids, i), p)}${flags ? `,${flags[i]}` : ''}\n`);
        continue;
      }
      this.room(to - from + SCORE_ROOM + 4);
      const buf = this.buf;
      let at = this.used;
      for (let k = from; k < to; k++) buf[at++] = bytes[k];
      buf[at++] = COMMA;
      const written = writeProbability(p, buf, at);
      if (written >= 0) at = written;
      else {
        // formatProbability gives ASCII only (digits, '.', 'e', '-', '+', 'NaN'), at most SCORE_ROOM of them.
        const score = formatProbability(p);
        for (let k = 0; k < score.length; k++) buf[at++] = score.charCodeAt(k);
      }
      if (flags) {
        buf[at++] = COMMA;
        buf[at++] = flags[i] ? DIGIT_ONE : DIGIT_ZERO;
      }
      buf[at++] = LF;
      this.used = at;
    }
  }

  private text(line: string): void {
    this.room(line.length * 3);
    this.used += encoder.encodeInto(line, this.buf.subarray(this.used)).written;
  }

  private room(bytes: number): void {
    this.buf = withRoom(this.buf, this.used, this.used + bytes);
  }
}
