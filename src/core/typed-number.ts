/**
 * A number as a person types it into a box: "12.5", "12,5" (a decimal comma), " 12.5 ", "1e1"; null for anything
 * that is not one number ("abc", "", "1,234.5", "1.2.3"). Not clamped: the caller decides what 150 or -5 means.
 */
export function parseTypedNumber(text: string): number | null {
  let t = text.trim();
  // One comma and no dot is a decimal comma; anything else with a comma is not a number we can be sure of.
  if (/^[^,.]*,[^,.]*$/.test(t)) t = t.replace(',', '.');
  if (t === '' || t.includes(',')) return null;
  const value = Number(t);
  return Number.isFinite(value) ? value : null;
}
