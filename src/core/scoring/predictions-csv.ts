/** The predictions file as Kaggle expects it (`ID_code,target`), written batch by batch. */
import { idAt, idStart, type PackedIds } from '../ids';
import { formatProbability, PREDICTIONS_HEADER as HEADER, predictionLine } from '../output';

/** First line of predictions.csv, with its line break. */
export const PREDICTIONS_HEADER = `${HEADER}\n`;

const COMMA = 44;
const LF = 10;
const encoder = new TextEncoder();

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
 * Writes predictions.csv lines (predictionLine's, each with a line break) as UTF-8 bytes into one reused buffer: no string per row survives the
 * call, so a large file leaves no trail of line strings for the collector (they had kept the scoring worker's
 * young generation at its maximum size and filled its large-object space).
 */
export class PredictionLinesWriter {
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(1 << 16);
  private size = 0;

  /** The lines for rows [start, end) as bytes; the view is valid until the next call. */
  write(
    ids: PackedIds,
    probabilities: Float32Array,
    start = 0,
    end = Math.min(ids.count, probabilities.length),
  ): Uint8Array<ArrayBuffer> {
    this.size = 0;
    const { bytes, ends } = ids;
    for (let i = start; i < end; i++) {
      const from = idStart(ids, i);
      const to = ends[i];
      const score = formatProbability(probabilities[i]);
      if (!plainId(bytes, from, to)) {
        this.text(`${predictionLine(idAt(ids, i), probabilities[i])}\n`);
        continue;
      }
      this.room(to - from + score.length + 2);
      const buf = this.buf;
      buf.set(bytes.subarray(from, to), this.size);
      let at = this.size + to - from;
      buf[at++] = COMMA;
      // formatProbability gives ASCII only (digits, '.', 'e', '-', '+', 'NaN').
      for (let k = 0; k < score.length; k++) buf[at++] = score.charCodeAt(k);
      buf[at++] = LF;
      this.size = at;
    }
    return this.buf.subarray(0, this.size);
  }

  private text(line: string): void {
    this.room(line.length * 3);
    this.size += encoder.encodeInto(line, this.buf.subarray(this.size)).written;
  }

  private room(bytes: number): void {
    if (this.size + bytes <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.size + bytes));
    next.set(this.buf.subarray(0, this.size));
    this.buf = next;
  }
}
