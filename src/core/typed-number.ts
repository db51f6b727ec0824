/** A plain decimal number: digits with at most one point, an optional sign and exponent (no hex, no Infinity). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Digits grouped by thousands with commas, as an amount is written: 40,000 or 1,234.50. */
const GROUPED = /^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/;

/**
 * A number as a person types it into a box: "12.5", "12,5" (a decimal comma), " 12.5 ", "1e1"; null for anything
 * that is not one plain decimal number ("abc", "", "1,234.5", "1.2.3", "0x10", "Infinity"). With `grouping` (an
 * amount of money) a comma before each group of three digits separates thousands: "40,000" is 40000 and
 * "1,234.5" 1234.5, while "12,5" is still 12.5 and "0,500" 0.5. Not clamped: the caller decides what 150 or -5 means.
 */
export function parseTypedNumber(
  text: string,
  { grouping = false }: { grouping?: boolean } = {},
): number | null {
  let t = text.trim();
  if (grouping && GROUPED.test(t)) t = t.replaceAll(',', '');
  // One comma and no dot is a decimal comma; anything else with a comma is not a number we can be sure of.
  else if (/^[^,.]*,[^,.]*$/.test(t)) t = t.replace(',', '.');
  if (!DECIMAL.test(t)) return null;
  const value = Number(t);
  return Number.isFinite(value) ? value : null;
}

/**
 * What a typed amount was read as, when another reading was as likely: one separator followed by exactly three
 * digits ("2,500" read as 2500 might mean 2.5; "40.000" read as 40 might mean 40000). Null when unambiguous.
 */
export function ambiguousAmount(text: string, read: number): string | null {
  const m = /^[+-]?([1-9]\d{0,2})([.,])(\d{3})$/.exec(text.trim());
  if (!m) return null;
  const other = m[2] === ',' ? Number(`${m[1]}.${m[3]}`) : Number(`${m[1]}${m[3]}`);
  const shown = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return `"${text.trim()}" was read as ${shown(read)}; for ${shown(other)}, type ${String(other)}.`;
}
