/** Chart data for a calibration plot: groups of customers, predicted against observed, and the diagonal. */

/** One group: its mean predicted probability and the share of it that transacted (both 0-1). */
export interface CalibrationGroup {
  predicted: number;
  observed: number;
}

/**
 * uPlot's aligned data for `groups` (in rising `predicted` order): x, then the observed rate, then the diagonal of
 * perfect calibration. The diagonal runs from 0 to 1, past the groups at either end (the observed series has a
 * gap there): drawn on the groups' own x values alone it lay under the observed line and could not be seen.
 */
export function calibrationSeries(groups: readonly CalibrationGroup[]): (number | null)[][] {
  const xs = groups.map((g) => g.predicted);
  return [
    [0, ...xs, 1],
    [null, ...groups.map((g) => g.observed), null],
    [0, ...xs, 1],
  ];
}
