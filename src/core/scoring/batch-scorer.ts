/**
 * Scores a file batch by batch and keeps only what the results need: ids, one probability per row, the
 * labels when the file has them, and the top rows with their features. Memory grows with the row count
 * (a few bytes per row), never with the feature matrix.
 */
import { withRoom } from '../grow';
import { idAt, IdWriter, type PackedIds } from '../ids';
import { rankScores, type Ranking } from '../insights/cut-line';
import { type ScoreSummary, SummaryBuilder } from './summary';
import { type TopEntry, TopK } from './top-k';

/** A block of parsed rows (the shape the CSV reader emits). */
export interface ScoreBatch {
  /** 1-based data-row number of the batch's first row. */
  firstRow: number;
  count: number;
  ids: PackedIds;
  /** count * width values, row-major. */
  features: Float32Array;
  /** One label per row, or null when the file has no target column. */
  targets: Float32Array | null;
}

/** Runs the model on `rows` rows of `features` and returns one probability per row. */
export type RunModel = (features: Float32Array, rows: number) => Promise<Float32Array>;

/** Settings of a scoring run. */
export interface BatchScorerOptions {
  /** Features per row. */
  width: number;
  /** How many top rows to keep with their features. */
  topCount: number;
  /** A guess of the row count, to size the arrays once (they grow if it is short). */
  expectedRows?: number;
  /** Histogram bin edges over the probabilities. */
  histogramEdges?: readonly number[];
}

/** Everything kept from a scored file. */
export interface ScoredRows {
  rows: number;
  ids: PackedIds;
  probabilities: Float32Array;
  targets: Float32Array | null;
  top: TopEntry[];
  summary: ScoreSummary;
  /** The probabilities ranked once (the summary's quantiles are read from it). */
  ranking: Ranking;
}

/** A Float32Array that doubles when full. */
class Float32Builder {
  private data: Float32Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Float32Array(Math.max(16, capacity));
  }

  append(values: Float32Array, count: number): void {
    this.data = withRoom(this.data, this.length, this.length + count);
    this.data.set(values.subarray(0, count), this.length);
    this.length += count;
  }

  /** An exact-length copy. */
  result(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** Accumulates scored batches; one instance per file. */
export class BatchScorer {
  private readonly ids: IdWriter;
  private readonly probabilities: Float32Builder;
  private targets: Float32Builder | null = null;
  private readonly top: TopK;
  private readonly summary: SummaryBuilder;
  private rows = 0;

  constructor(private readonly options: BatchScorerOptions) {
    this.probabilities = new Float32Builder(options.expectedRows ?? 0);
    this.ids = new IdWriter(options.expectedRows);
    this.top = new TopK(options.topCount, options.width);
    this.summary = new SummaryBuilder(options.histogramEdges);
  }

  /** Rows scored so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Scores one batch with `run` and keeps what is needed; returns the batch's probabilities. */
  async add(batch: ScoreBatch, run: RunModel): Promise<Float32Array> {
    const { count, features } = batch;
    const { width } = this.options;
    if (batch.ids.count < count || features.length < count * width) {
      throw new RangeError(`batch at row ${batch.firstRow} holds fewer values than its ${count} rows need`);
    }
    const p = count === 0 ? new Float32Array(0) : await run(features.subarray(0, count * width), count);
    if (p.length < count) throw new RangeError(`the model returned ${p.length} scores for ${count} rows`);
    if (batch.targets) {
      if (!this.targets) {
        if (this.rows > 0) throw new RangeError('labels appeared in the middle of the file');
        this.targets = new Float32Builder(this.options.expectedRows ?? 0);
      }
      this.targets.append(batch.targets, count);
    } else if (this.targets) throw new RangeError('labels stopped in the middle of the file');
    this.probabilities.append(p, count);
    this.summary.add(p, count);
    const top = this.top;
    for (let i = 0; i < count; i++) {
      // Most rows lose to the weakest kept one: test that before touching the heap.
      if (p[i] >= top.threshold) top.offer(p[i], batch.firstRow + i, idAt(batch.ids, i), features, i * width);
    }
    this.ids.append(batch.ids, count);
    this.rows += count;
    return p;
  }

  /** The kept results, ranked. */
  finish(): ScoredRows {
    const probabilities = this.probabilities.result();
    const ranking = rankScores(probabilities);
    return {
      rows: this.rows,
      ids: this.ids.finish(),
      probabilities,
      targets: this.targets?.result() ?? null,
      top: this.top.sorted(),
      summary: this.summary.finish(probabilities, ranking.sorted),
      ranking,
    };
  }
}
