/** The file's and the training holdout's score histograms on one x grid, as densities, for a stepped chart. */

/** Bin edges and counts. */
export interface Histogram {
  edges: readonly number[];
  counts: readonly number[];
}

/** Percent of customers per percentage point of score in the bin holding x (0 outside the histogram). */
function densityAt(h: Histogram, total: number, x: number): number {
  const last = h.counts.length - 1;
  for (let i = 0; i <= last; i++) {
    if (x >= h.edges[i] && (x < h.edges[i + 1] || (i === last && x <= h.edges[i + 1]))) {
      return (100 * h.counts[i]) / total / ((h.edges[i + 1] - h.edges[i]) * 100);
    }
  }
  return 0;
}

/** x = every edge of both histograms; one density series per histogram (uPlot's aligned data). */
export function overlay(a: Histogram, b: Histogram): number[][] {
  const xs = [...new Set([...a.edges, ...b.edges].map((e) => Number(e.toFixed(9))))].sort((p, q) => p - q);
  const totalA = a.counts.reduce((s, c) => s + c, 0) || 1;
  const totalB = b.counts.reduce((s, c) => s + c, 0) || 1;
  return [xs, xs.map((x) => densityAt(a, totalA, x)), xs.map((x) => densityAt(b, totalB, x))];
}

/** One row of the chart's table: a score range and both densities over it. */
export interface OverlayRow {
  from: number;
  to: number;
  a: number;
  b: number;
}

/**
 * The overlay as table rows (percent per point, to 2 decimals as shown): neighbouring ranges whose shown values
 * are both the same are one row, so a bin of one histogram split by the other's edges is not listed twice.
 */
export function overlayRows(data: number[][]): OverlayRow[] {
  const [xs, a, b] = data;
  const rows: OverlayRow[] = [];
  for (let i = 0; i + 1 < xs.length; i++) {
    const last = rows.at(-1);
    if (last && last.a.toFixed(2) === a[i].toFixed(2) && last.b.toFixed(2) === b[i].toFixed(2))
      last.to = xs[i + 1];
    else rows.push({ from: xs[i], to: xs[i + 1], a: a[i], b: b[i] });
  }
  return rows;
}
