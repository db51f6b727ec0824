/**
 * The model as a credit-style scorecard: per feature, value ranges and the points each range adds, with the
 * scaling stated the way scorecards state it (points to double the odds, a reference score at reference odds).
 *
 * Scaling: score = offset + factor * log-odds, factor = pdo / ln 2, offset = referenceScore - factor *
 * ln(referenceOdds), where the odds are those of a transaction (target = 1 : target = 0). The log-odds are the
 * model's: intercept + the sum of one contribution per feature. So the base points are offset + factor *
 * intercept and each range adds factor * its contribution; a missing value (empty, NaN, infinite, beyond float32)
 * adds 0, an average customer on that feature.
 *
 * Merging: neighbouring grid cells of a feature are merged while the largest and smallest contribution among
 * them differ by at most `tolerance` (log-odds), left to right (which gives the fewest ranges for that rule). A
 * merged range takes the mean of its cells' contributions weighted by the share of training rows in each cell
 * (from the card's training quantiles), so that merging does not shift the average customer's log-odds: the
 * midpoint did, by +0.05 on average at tolerance 0.02 (most cells of a range sit at its low end where the data
 * is dense). Either way no cell moves by more than `tolerance`, and a customer's log-odds by at most the sum over
 * features of each feature's largest move. Without shares (no card, or no training rows in the range) the
 * range takes the midpoint. With tolerance 0 only equal neighbours merge and the points give back the model's
 * log-odds exactly.
 */
import type { AdditiveModel } from '../../src/core/model';
import { type ModelCard, QUANTILE_LEVELS } from '../../src/core/model-card';
import type { SqlModel } from './sql';
import { MISSING_BIN } from './sql';

/** How points are scaled. */
export interface Scaling {
  /** Points that double the odds of a transaction. */
  pdo: number;
  /** Score of a customer whose odds are referenceOdds. */
  referenceScore: number;
  /** Odds of a transaction (target = 1 : target = 0) at the reference score. */
  referenceOdds: number;
}

/** The default scaling: 600 points at even odds, 20 points to double them. */
export const DEFAULT_SCALING: Scaling = { pdo: 20, referenceScore: 600, referenceOdds: 1 };

/** Default merge tolerance in log-odds (see README: about 0.04 log-odds per customer on the test rows). */
export const DEFAULT_TOLERANCE = 0.02;

/** One range of one feature. */
export interface ScorecardRow {
  feature: string;
  /** 1.. within the feature in value order; 0 for the missing-value row. */
  range: number;
  /** Values x with lower <= x < upper fall here; null on the missing-value row. */
  lower: number | null;
  upper: number | null;
  /** The range's contribution to the log-odds. */
  logOdds: number;
  points: number;
  /** Grid cells merged into this range (first and last, inclusive); -1 on the missing-value row. */
  firstCell: number;
  lastCell: number;
  /** Largest |merged - original| contribution among the merged cells. */
  maxChange: number;
}

/** The scorecard. */
export interface Scorecard {
  scaling: Scaling;
  tolerance: number;
  /** Grid cells per feature in the model. */
  cells: number;
  /** True when merged ranges are weighted by training shares (else midpoints). */
  weighted: boolean;
  /** points = offset + factor * log-odds. */
  factor: number;
  offset: number;
  /** The model's intercept and the points it gives (every customer starts there). */
  intercept: number;
  basePoints: number;
  rows: ScorecardRow[];
  /** Per feature, the largest change of any cell: a customer's log-odds move by at most their sum. */
  maxChangePerFeature: number[];
}

/** Checks a scaling; throws a RangeError naming the bad value. */
function checkScaling(s: Scaling): void {
  if (!(Number.isFinite(s.pdo) && s.pdo > 0))
    throw new RangeError(`pdo must be a positive number, got ${s.pdo}`);
  if (!Number.isFinite(s.referenceScore))
    throw new RangeError(`reference score must be a number, got ${s.referenceScore}`);
  if (!(Number.isFinite(s.referenceOdds) && s.referenceOdds > 0)) {
    throw new RangeError(`reference odds must be a positive number, got ${s.referenceOdds}`);
  }
}

/** Share of training rows below x from quantiles at QUANTILE_LEVELS (linear between them; 0 and 1 outside). */
function shareBelow(x: number, quantiles: readonly number[]): number {
  const n = quantiles.length;
  if (!(x > quantiles[0])) return 0;
  if (x >= quantiles[n - 1]) return 1;
  // The last stored quantile at or below x: the next one is above it, so the segment has a width.
  let i = 0;
  while (quantiles[i + 1] <= x) i++;
  const [q0, q1] = [quantiles[i], quantiles[i + 1]];
  return QUANTILE_LEVELS[i] + ((QUANTILE_LEVELS[i + 1] - QUANTILE_LEVELS[i]) * (x - q0)) / (q1 - q0);
}

/**
 * The share of training rows in each grid cell, per feature, estimated from the card's training quantiles;
 * null when there is no card or a feature has no quantiles.
 */
export function cellShares(card: ModelCard | null, sql: SqlModel): Float64Array[] | null {
  if (!card) return null;
  const quantiles = new Map(card.features.map((f) => [f.name, f.quantiles]));
  const out: Float64Array[] = [];
  const cells = new Map<string, Float64Array>();
  for (const g of sql.grid) {
    const q = quantiles.get(g.feature);
    if (!q || q.length !== QUANTILE_LEVELS.length) return null;
    const shares = new Float64Array(sql.bins);
    cells.set(g.feature, shares);
    out.push(shares);
  }
  for (const r of sql.rows) {
    if (r.bin === null || r.bin < 0) continue;
    const q = quantiles.get(r.feature)!;
    cells.get(r.feature)![r.bin] = shareBelow(r.upper!, q) - shareBelow(r.lower!, q);
  }
  return out;
}

/**
 * Builds the scorecard from the model and its exact SQL edges (sqlModel); `shares` (cellShares) weight the
 * merged ranges. Throws a RangeError for a bad scaling or a negative tolerance.
 */
export function buildScorecard(
  model: AdditiveModel,
  sql: SqlModel,
  scaling: Scaling = DEFAULT_SCALING,
  tolerance = DEFAULT_TOLERANCE,
  shares: Float64Array[] | null = null,
): Scorecard {
  checkScaling(scaling);
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be 0 or more, got ${tolerance}`);
  const factor = scaling.pdo / Math.LN2;
  const offset = scaling.referenceScore - factor * Math.log(scaling.referenceOdds);
  const { bins } = model;
  const rows: ScorecardRow[] = [];
  const maxChangePerFeature: number[] = [];
  // sql.rows holds, per feature, the missing bin then cells 0..bins-1 (after the intercept's row).
  const cellsOf = new Map<string, { lower: number; upper: number }[]>();
  for (const r of sql.rows) {
    if (r.bin === null || r.bin === MISSING_BIN) continue;
    let cells = cellsOf.get(r.feature);
    if (!cells) cellsOf.set(r.feature, (cells = []));
    cells[r.bin] = { lower: r.lower!, upper: r.upper! };
  }
  sql.grid.forEach((g, j) => {
    const cells = cellsOf.get(g.feature)!;
    const table = model.table.subarray(j * bins, (j + 1) * bins);
    const weight = shares?.[j];
    rows.push({
      feature: g.feature,
      range: 0,
      lower: null,
      upper: null,
      logOdds: 0,
      points: 0,
      firstCell: -1,
      lastCell: -1,
      maxChange: 0,
    });
    let featureMax = 0;
    let range = 0;
    let first = -1;
    let lo = Infinity;
    let hi = -Infinity;
    const close = (last: number) => {
      let sum = 0;
      let total = 0;
      for (let b = first; b <= last && weight; b++) {
        sum += weight[b] * table[b];
        total += weight[b];
      }
      const logOdds = total > 0 ? sum / total : (lo + hi) / 2;
      let change = 0;
      for (let b = first; b <= last; b++)
        if (cells[b].lower < cells[b].upper) change = Math.max(change, Math.abs(table[b] - logOdds));
      featureMax = Math.max(featureMax, change);
      rows.push({
        feature: g.feature,
        range: ++range,
        lower: cells[first].lower,
        upper: cells[last].upper,
        logOdds,
        points: factor * logOdds,
        firstCell: first,
        lastCell: last,
        maxChange: change,
      });
    };
    let last = -1;
    for (let b = 0; b < bins; b++) {
      // A cell no value can fall in (no float32 maps to it) has nothing to show.
      if (cells[b].lower === cells[b].upper) continue;
      const c = table[b];
      if (first >= 0 && Math.max(hi, c) - Math.min(lo, c) > tolerance) {
        close(last);
        first = -1;
      }
      if (first < 0) {
        first = b;
        lo = hi = c;
      } else {
        lo = Math.min(lo, c);
        hi = Math.max(hi, c);
      }
      last = b;
    }
    if (first >= 0) close(last);
    maxChangePerFeature.push(featureMax);
  });
  return {
    scaling,
    tolerance,
    cells: bins,
    weighted: shares !== null,
    factor,
    offset,
    intercept: model.intercept,
    basePoints: offset + factor * model.intercept,
    rows,
    maxChangePerFeature,
  };
}

const rangeCache = new WeakMap<Scorecard, Map<string, ScorecardRow[]>>();

/** Ranges of each feature in value order, for look-ups. */
function rangesByFeature(card: Scorecard): Map<string, ScorecardRow[]> {
  const out = new Map<string, ScorecardRow[]>();
  for (const r of card.rows) {
    if (r.range === 0) continue;
    let list = out.get(r.feature);
    if (!list) out.set(r.feature, (list = []));
    list.push(r);
  }
  return out;
}

/**
 * A customer's score from the scorecard alone: base points + the points of the range each value falls in
 * (0 for a value outside every range: missing, NaN, infinite, beyond float32). `values[j]` is feature j's value
 * as the warehouse holds it (a double). Returns the score and the log-odds it stands for.
 */
export function scoreWithScorecard(
  card: Scorecard,
  names: readonly string[],
  values: ArrayLike<number>,
): { points: number; logOdds: number } {
  let points = card.basePoints;
  let logOdds = card.intercept;
  let ranges = rangeCache.get(card);
  if (!ranges) rangeCache.set(card, (ranges = rangesByFeature(card)));
  for (let j = 0; j < names.length; j++) {
    const x = values[j];
    const list = ranges.get(names[j]) ?? [];
    // Binary search for the last range with lower <= x; NaN fails every comparison and scores 0.
    let a = 0;
    let z = list.length;
    while (a < z) {
      const mid = (a + z) >> 1;
      if (list[mid].lower! <= x) a = mid + 1;
      else z = mid;
    }
    const r = a > 0 ? list[a - 1] : null;
    if (r && x < r.upper!) {
      points += r.points;
      logOdds += r.logOdds;
    }
  }
  return { points, logOdds };
}

/** Columns of scorecard.csv. */
const SCORECARD_COLUMNS = [
  'feature',
  'range',
  'lower',
  'upper',
  'log_odds',
  'points',
  'first_cell',
  'last_cell',
  'max_change',
] as const;

/** The scorecard as CSV: full precision (shortest round-trip decimals); empty lower/upper on missing rows. */
export function scorecardCsv(card: Scorecard): string {
  const v = (x: number | null) => (x === null ? '' : String(x));
  const lines = [SCORECARD_COLUMNS.join(',')];
  lines.push(['(base)', '', '', '', v(card.intercept), v(card.basePoints), '', '', '0'].join(','));
  for (const r of card.rows) {
    lines.push(
      [
        r.feature,
        r.range === 0 ? 'missing' : String(r.range),
        v(r.lower),
        v(r.upper),
        v(r.logOdds),
        v(r.points),
        r.range === 0 ? '' : String(r.firstCell),
        r.range === 0 ? '' : String(r.lastCell),
        v(r.maxChange),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** A value edge for reading: 4 decimals like the data, or "any" for the open ends of the scoring range. */
function edge(x: number): string {
  return Math.abs(x) > 1e30 ? '' : x.toFixed(4);
}

/** How a range reads in the Markdown table: [lower, upper) with open ends left out. */
function rangeText(r: ScorecardRow): string {
  if (r.range === 0) return 'missing (empty, NaN, infinite, beyond float32)';
  const lo = edge(r.lower!);
  const hi = edge(r.upper!);
  if (!lo && !hi) return 'any value';
  if (!lo) return `below ${hi}`;
  if (!hi) return `${lo} and above`;
  return `${lo} to below ${hi}`;
}

const fixed = (x: number, digits: number) =>
  (Object.is(Math.round(x * 10 ** digits), -0) ? 0 : x).toFixed(digits);

/** What the exporter knows about the model, for the Markdown header. */
export interface ScorecardSource {
  version: string;
  sha256: string;
}

/** The scorecard as Markdown for review: the scaling, the merge rule and its bound, then one table per feature. */
export function scorecardMarkdown(card: Scorecard, source: ScorecardSource): string {
  const { scaling: s } = card;
  const worst = card.maxChangePerFeature.reduce((a, b) => a + b, 0);
  const ranges = card.rows.filter((r) => r.range > 0).length;
  const features = card.maxChangePerFeature.length;
  const out = [
    '# Scorecard',
    '',
    `Model ${source.version} (model.onnx SHA-256 \`${source.sha256}\`), written by \`npm run export -- --format scorecard\`.`,
    '',
    '## Scaling',
    '',
    `- A customer's score is **${fixed(card.basePoints, 2)} base points** plus the points of the range each of the ` +
      `${features} feature values falls in.`,
    `- **${s.referenceScore} points at odds ${s.referenceOdds}:1** of a transaction (target = 1 : target = 0), and ` +
      `**${s.pdo} points double the odds** (PDO ${s.pdo}): score = ${fixed(card.offset, 4)} + ` +
      `${fixed(card.factor, 4)} × log-odds, P(transaction) = 1 / (1 + exp(-(score - ${fixed(card.offset, 4)}) / ${fixed(card.factor, 4)})).`,
    '- A missing value (empty, NaN, infinite or beyond float32) adds 0 points: an average customer on that feature.',
    '- Higher scores mean a transaction is more likely.',
    '',
    '## Merging',
    '',
    `The model's ${card.cells} grid cells per feature are merged into ${ranges} ranges in all: neighbouring cells ` +
      `merge while their contributions differ by at most ${card.tolerance} log-odds ` +
      `(${fixed(card.tolerance * card.factor, 2)} points). A range takes ${card.weighted ? "the mean of its cells' contributions weighted by the share of training rows in each (from the model card's training quantiles), so merging does not shift the average customer" : "the midpoint of its cells' contributions (no model card: no training shares to weight them by)"}; ` +
      `no cell moves by more than ${card.tolerance} log-odds. Adding up each feature's largest move, no customer's ` +
      `log-odds move by more than ${fixed(worst, 3)} (a bound; typical moves are far smaller, those of different ` +
      'features partly cancel).' +
      ' Points are shown to one decimal; `scorecard.csv` has every figure at full precision, the exact range edges' +
      ' and the grid cells each range merges. Edges are shown to 4 decimals; the exact edge is in the CSV.',
    '',
  ];
  const byFeature = new Map<string, ScorecardRow[]>();
  for (const r of card.rows) {
    let list = byFeature.get(r.feature);
    if (!list) byFeature.set(r.feature, (list = []));
    list.push(r);
  }
  out.push('## Features', '');
  for (const [feature, rows] of byFeature) {
    const scored = rows.filter((r) => r.range > 0);
    const span = Math.max(...scored.map((r) => r.points)) - Math.min(...scored.map((r) => r.points));
    out.push(
      `### ${feature}`,
      '',
      `${scored.length} ranges, points from ${fixed(Math.min(...scored.map((r) => r.points)), 1)} to ${fixed(Math.max(...scored.map((r) => r.points)), 1)} (span ${fixed(span, 1)}).`,
      '',
    );
    out.push('| range | values | points | log-odds |', '| ---: | --- | ---: | ---: |');
    for (const r of [...scored, ...rows.filter((r) => r.range === 0)]) {
      out.push(
        `| ${r.range === 0 ? '-' : r.range} | ${rangeText(r)} | ${fixed(r.points, 1)} | ${fixed(r.logOdds, 4)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
