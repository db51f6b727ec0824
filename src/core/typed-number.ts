/** A plain decimal number: digits with at most one point, an optional sign and exponent (no hex, no Infinity). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Digits grouped by thousands with commas, as an amount is written: 40,000 or 1,234.50. */
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/**
 * A number as a person types it into a box: "12.5", "12,5" (a decimal comma), " 12.5 ", "1e1"; null for anything
 * that is not one plain decimal number ("abc", "", "1,234.5", "1.2.3", "0x10", "Infinity"). With `grouping` (an
 * amount of money) a comma before each group of three digits separates thousands: "40,000" is 40000 and
 * "1,234.5" 1234.5, while "12,5" is still 12.5. Not clamped: the caller decides what 150 or -5 means.
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
