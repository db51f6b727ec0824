/** What a scored file looks like as a whole: rows, expected transactions, the distribution of scores. */

/** Counts of scores per bin: `counts[i]` holds scores in [edges[i], edges[i+1]) (the last bin includes 1). */
export interface ScoreHistogram {
  edges: number[];
  counts: number[];
}

/** A score at a given quantile level of the file's scores. */
export interface ScoreQuantile {
  level: number;
  value: number;
}

/** Summary of one scored file. */
export interface ScoreSummary {
  rows: number;
  /** Sum of probabilities: the number of customers expected to make the transaction. */
  expectedTransactions: number;
  mean: number;
  min: number;
  max: number;
  /** Rows scoring 0.5 or more. */
  aboveHalf: number;
  histogram: ScoreHistogram;
  quantiles: ScoreQuantile[];
}

/** Quantile levels shown in the summary. */
const SUMMARY_LEVELS: readonly number[] = [0.5, 0.9, 0.99];

/** `bins` equal-width bins over [0, 1]. */
export function uniformEdges(bins: number): number[] {
  return Array.from({ length: bins + 1 }, (_, i) => i / bins);
}

/** Accumulates the summary batch by batch; quantiles are taken at the end from all scores. */
export class SummaryBuilder {
  private rows = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;
  private aboveHalf = 0;
  private readonly counts: number[];

  constructor(private readonly edges: readonly number[] = uniformEdges(20)) {
    if (edges.length < 2) throw new RangeError('a histogram needs at least two edges');
    this.counts = new Array<number>(edges.length - 1).fill(0);
  }

  /** Adds `count` scores from the start of `probabilities`. */
  add(probabilities: Float32Array, count = probabilities.length): void {
    const { edges, counts } = this;
    const lo = edges[0];
    const hi = edges[edges.length - 1];
    const last = counts.length - 1;
    const uniform = isUniform(edges);
    const scale = counts.length / (hi - lo);
    for (let i = 0; i < count; i++) {
      const p = probabilities[i];
      if (Number.isNaN(p)) continue;
      this.rows++;
      this.sum += p;
      if (p < this.min) this.min = p;
      if (p > this.max) this.max = p;
      if (p >= 0.5) this.aboveHalf++;
      let bin = uniform ? Math.floor((p - lo) * scale) : findBin(edges, p);
      if (bin < 0) bin = 0;
      else if (bin > last) bin = last;
      counts[bin]++;
    }
  }

  /**
   * The summary; `all` holds every score of the file (for the quantiles), NaN skipped. `descending`, the same
   * scores sorted high to low with NaN last (Ranking.sorted), saves sorting them again.
   */
  finish(all: Float32Array, descending?: Float32Array): ScoreSummary {
    return {
      rows: this.rows,
      expectedTransactions: this.sum,
      mean: this.rows > 0 ? this.sum / this.rows : NaN,
      min: this.rows > 0 ? this.min : NaN,
      max: this.rows > 0 ? this.max : NaN,
      aboveHalf: this.aboveHalf,
      histogram: { edges: [...this.edges], counts: [...this.counts] },
      quantiles: descending
        ? quantilesOfDescending(descending, this.rows, SUMMARY_LEVELS)
        : quantiles(all, SUMMARY_LEVELS),
    };
  }
}

/** Quantiles by the nearest-rank rule on the non-NaN values (NaN when there are none). */
export function quantiles(values: Float32Array, levels: readonly number[]): ScoreQuantile[] {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  return levels.map((level) => ({
    level,
    value:
      sorted.length === 0
        ? NaN
        : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(level * sorted.length) - 1))],
  }));
}

/** `quantiles` read from values already sorted high to low whose first `count` are the non-NaN ones. */
export function quantilesOfDescending(
  descending: Float32Array,
  count: number,
  levels: readonly number[],
): ScoreQuantile[] {
  return levels.map((level) => ({
    level,
    value:
      count === 0
        ? NaN
        : descending[count - 1 - Math.min(count - 1, Math.max(0, Math.ceil(level * count) - 1))],
  }));
}

function isUniform(edges: readonly number[]): boolean {
  const step = (edges[edges.length - 1] - edges[0]) / (edges.length - 1);
  return edges.every((e, i) => Math.abs(e - (edges[0] + i * step)) < 1e-12);
}

function findBin(edges: readonly number[], p: number): number {
  // Largest i with edges[i] <= p.
  let lo = 0;
  let hi = edges.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= p) lo = mid;
    else hi = mid;
  }
  return lo;
}
