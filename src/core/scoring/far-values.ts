/**
 * Values too far outside the model's training range to be data: a unit or typing error (every value x100, a
 * 1e6 typed for 1.6). The model gives any value beyond its training range the push of the range's edge, which is
 * right for a customer slightly beyond it; summed over the many features a unit error touches, those edge pushes
 * scored such customers at 100% and ranked them first. So a value beyond the range by more than the range's own
 * width is scored as missing (the neutral contribution), reported as a row issue (`far-outside`), and a feature
 * column mostly made of them refuses the file (CellPolicy), in the app and the CLI alike.
 *
 * How far is "far": for a feature of about normal shape, the range of 160,000 training rows spans about
 * +-4.5 standard deviations, so the bound sits near 13.5 sd from the centre, where no real value falls; the
 * range of a model trained on 1,000 rows spans about +-3.2 sd, and its bound about 9.6 sd.
 */
import type { RowIssue } from '../csv/types';
import { QUANTILE_LEVELS } from '../model-card';
import { FEATURE_COUNT, FEATURE_NAMES } from '../schema';

/** Per feature, the lowest and highest value taken for data (infinite bounds: the feature is not checked). */
export interface FarBounds {
  low: Float32Array;
  high: Float32Array;
}

/**
 * The lowest and highest float32 value taken for data for a feature trained on [min, max]: the range widened by
 * its own width on each side. The one rule, for scoring (farBounds) and for the Why panel (explain.ts). A feature
 * trained on one value (a constant column: width 0) has no width to measure by: it is not checked (infinite
 * bounds), where the rule would take every other value for an error and refuse every file.
 */
export function farLimits(min: number, max: number): [low: number, high: number] {
  const width = max - min;
  if (!(width > 0)) return [-Infinity, Infinity];
  return [Math.fround(min - width), Math.fround(max + width)];
}

/**
 * The bounds from the card's training quantiles at `levels` (feature j's quantiles[j], the first at level 0 and
 * the last at level 1: the training minimum and maximum): min - (max - min) and max + (max - min), infinite for a
 * feature trained on one value (farLimits). Null when the levels do not run from 0 to 1 or no feature has
 * quantiles (nothing is checked).
 */
export function farBounds(
  features: readonly { quantiles: readonly number[] }[],
  levels: readonly number[] = QUANTILE_LEVELS,
): FarBounds | null {
  if (levels[0] !== 0 || levels.at(-1) !== 1) return null;
  const low = new Float32Array(FEATURE_COUNT).fill(-Infinity);
  const high = new Float32Array(FEATURE_COUNT).fill(Infinity);
  let any = false;
  for (let j = 0; j < Math.min(features.length, FEATURE_COUNT); j++) {
    const q = features[j]?.quantiles;
    if (!q || q.length !== levels.length) continue;
    const min = q[0];
    const max = q[q.length - 1];
    if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) continue;
    [low[j], high[j]] = farLimits(min, max);
    any = true;
  }
  return any ? { low, high } : null;
}

/**
 * Sets every value of rows [0, count) of the row-major `features` (count x 200) that lies outside `bounds` to NaN,
 * calling `found(row, feature, value)` for each (rows 0-based within `features`, in row then feature order).
 * Returns how many were set.
 */
export function blankFarValues(
  features: Float32Array,
  count: number,
  bounds: FarBounds,
  found?: (row: number, feature: number, value: number) => void,
): number {
  const { low, high } = bounds;
  let n = 0;
  for (let r = 0, at = 0; r < count; r++) {
    for (let j = 0; j < FEATURE_COUNT; j++, at++) {
      const v = features[at];
      // NaN compares false both ways: a missing value stays as it is.
      if (v < low[j] || v > high[j]) {
        found?.(r, j, v);
        features[at] = NaN;
        n++;
      }
    }
  }
  return n;
}

/** A far value as a row issue shows it: float32 to 7 significant digits (1050.3, not 1050.300048828125). */
export function farText(value: number): string {
  return String(Number(value.toPrecision(7)));
}

/**
 * Blanks the far values of a batch of rows (`firstRow`: the 1-based data-row number of its row 0, rows
 * consecutive, as the reader's batches are) and hands each to `report` as a row issue: what both front doors
 * (score-file.ts for the app, the scoring CLI) do to every batch before the model sees it.
 */
export function blankFarCells(
  batch: { firstRow: number; count: number; features: Float32Array },
  bounds: FarBounds,
  report: (issue: RowIssue) => void,
): void {
  const { firstRow } = batch;
  blankFarValues(batch.features, batch.count, bounds, (row, j, value) =>
    report({ row: firstRow + row, column: FEATURE_NAMES[j], value: farText(value), kind: 'far-outside' }),
  );
}
