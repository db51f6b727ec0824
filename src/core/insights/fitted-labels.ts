/**
 * A labelled file scored with a model that has a record of the rows it was fitted on (fitted-rows.bin): how many
 * of the file's rows it was fitted on, and its AUC on the other labelled rows. One wording for the results page
 * and `npm run score`.
 */
import { withRoom } from '../grow';
import type { FittedRows } from '../fit/fitted-rows';
import { auc } from '../metrics';

/** The model's figures on a labelled file, leaving out the rows its record holds. */
export interface FittedLabelFigures {
  /** Rows of the file the record holds (labelled or not; about 1 in 10,000 of the others is counted in too). */
  fitted: number;
  /** Rows labelled 0 or 1 among the others. */
  labelled: number;
  positives: number;
  /** The model's AUC on those: NaN when they hold one class only (or none). */
  auc: number;
  /**
   * Whether `fitted` is more than the record's false positives explain (expectedFalsePositives): only then is
   * the file said to hold rows the model was fitted on. A file of fresh rows has a few by chance (about 1 in
   * 10,000 rows); one that holds a model's training rows has them by the hundred.
   */
  beyondChance: boolean;
}

/** The chance that fresh rows reach beyondChance: one file in a million. */
const CHANCE = 1e-6;

/** Rows of `rows` fresh ones a record reports as fitted on average: its false-positive rate times rows. */
export function expectedFalsePositives(
  record: Pick<FittedRows, 'bits' | 'hashes' | 'rows'>,
  rows: number,
): number {
  const { bits, hashes, rows: held } = record;
  return rows * (1 - Math.exp((-hashes * held) / bits)) ** hashes;
}

/** The fewest marked rows that false positives alone (Poisson, mean `mean`) reach less often than CHANCE. */
export function chanceCeiling(mean: number): number {
  let k = 0;
  let term = Math.exp(-mean);
  let below = term; // P(X <= k)
  while (1 - below >= CHANCE) {
    k++;
    term *= mean / k;
    below += term;
  }
  return k + 1;
}

/**
 * The figures batch by batch, in file order (the results page's scoring and `npm run score` alike): each row the
 * record holds is counted, each other row labelled 0 or 1 kept for the AUC.
 */
export class FittedLabelTally {
  private scores = new Float32Array(1 << 12);
  private labels = new Uint8Array(1 << 12);
  private kept = 0;
  private fitted = 0;
  private seen = 0;
  private positives = 0;

  constructor(private readonly record: FittedRows) {}

  /**
   * The next `rows` rows: features row-major [rows, 200], the model's scores (probabilities) and the targets
   * (NaN or another value: unlabelled; null: the file has no target column).
   */
  add(features: Float32Array, scores: Float32Array, targets: Float32Array | null, rows: number): void {
    const marks = this.record.mark(features, rows);
    this.seen += rows;
    this.scores = withRoom(this.scores, this.kept, this.kept + rows);
    this.labels = withRoom(this.labels, this.kept, this.kept + rows);
    for (let r = 0; r < rows; r++) {
      if (marks[r]) {
        this.fitted++;
        continue;
      }
      const y = targets ? targets[r] : NaN;
      if (y !== 0 && y !== 1) continue;
      this.scores[this.kept] = scores[r];
      this.labels[this.kept++] = y;
      this.positives += y;
    }
  }

  figures(): FittedLabelFigures {
    const n = this.kept;
    const oneClass = this.positives === 0 || this.positives === n;
    return {
      fitted: this.fitted,
      labelled: n,
      positives: this.positives,
      auc: oneClass ? NaN : auc(this.scores.subarray(0, n), this.labels.subarray(0, n)),
      beyondChance: this.fitted >= chanceCeiling(expectedFalsePositives(this.record, this.seen)),
    };
  }
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * What the page and the CLI say when the model was fitted on some of a labelled file's rows (figures.beyondChance):
 * how many, that the figures on all the labels flatter it, and its AUC on the other labelled rows.
 */
export function fittedLabelSentence(figures: Omit<FittedLabelFigures, 'beyondChance'>): string {
  const { fitted, labelled, positives } = figures;
  const head =
    `The model was fitted on ${count(fitted, 'row')} of this file (by its record of the rows it was fitted on), ` +
    'so its figures on all your labels flatter it. ';
  if (labelled === 0) return `${head}No other row has a label to measure it on.`;
  if (Number.isNaN(figures.auc)) {
    return `${head}The other ${count(labelled, 'labelled row')} are all ${positives > 0 ? 1 : 0}: no AUC on them.`;
  }
  return (
    `${head}AUC on the other ${count(labelled, 'row')} labelled 0 or 1: ${figures.auc.toFixed(4)} ` +
    `(${positives.toLocaleString('en-US')} of them 1).`
  );
}
