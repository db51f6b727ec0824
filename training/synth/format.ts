/** Kaggle-style number text: 4 decimals at most, trailing zeros dropped, like `8.9255`, `-4.92`, `5.0`. */

// '.0' for whole numbers (as pandas writes them), otherwise '.' + digits without trailing zeros.
const FRACTIONS: string[] = Array.from({ length: 10000 }, (_, k) => {
  if (k === 0) return '.0';
  return ('.' + String(k).padStart(4, '0')).replace(/0+$/, '');
});

/** The value rounded to 4 decimals, as a whole number of ten-thousandths. */
export function toTenThousandths(x: number): number {
  return Math.round(x * 10000);
}

/** Text of k / 10000 for a whole number k, e.g. 89255 -> "8.9255", -49200 -> "-4.92", 0 -> "0.0". */
export function formatTenThousandths(k: number): string {
  const a = k < 0 ? -k : k;
  const whole = Math.floor(a / 10000);
  const text = whole + FRACTIONS[a - whole * 10000];
  return k < 0 ? '-' + text : text;
}

/** The value rounded to 4 decimals as text. */
export function format4(x: number): string {
  return formatTenThousandths(toTenThousandths(x));
}
