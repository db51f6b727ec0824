/** Number formatting for the results page. */

const integer = new Intl.NumberFormat('en');
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** 200,000 */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** 20,104.3 */
export function formatExpected(n: number): string {
  return oneDecimal.format(n);
}

/** A probability as a percentage with sensible precision: "12.3%", "0.42%". */
export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return '–';
  const pct = p * 100;
  return `${pct >= 10 ? pct.toFixed(1) : pct >= 1 ? pct.toFixed(2) : pct.toPrecision(2)}%`;
}

/** A signed log-odds contribution: "+0.42", "−0.13". */
export function formatContribution(c: number): string {
  return `${c >= 0 ? '+' : '−'}${Math.abs(c).toFixed(2)}`;
}

/** A chart axis tick with at most two decimals and no trailing zeros: "0.25", "0.5", "1". */
export function formatTick(v: number): string {
  return String(Number(v.toFixed(2)));
}
