/** Number, size and time formatting for the page. */
import { parseTypedNumber } from '../core/typed-number';

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

/**
 * A score cut as a percentage rounded down, to 3 decimals (3 significant digits below 0.001%): 0.25771234 ->
 * 25.771. Typed back as a cut (the line control divides it by 100) it flags the same customers: `cutPercent(p) /
 * 100 <= p`, where rounding to nearest (25.772) would leave out the one who scores exactly `p`. 0 for 0 and below.
 */
export function cutPercent(p: number): number {
  const pct = p * 100;
  if (!(pct > 0)) return 0;
  const step = pct >= 1e-3 ? 1e-3 : 10 ** (Math.floor(Math.log10(pct)) - 2);
  // The nudge keeps a cut typed on a step (25.771 stored as 0.25771 and read back as 25.770999999999997) from
  // showing a step lower; the check after it keeps the result, typed back, from cutting above `p`.
  const up = Number((Math.floor(pct / step + 1e-6) * step).toPrecision(12));
  return up / 100 <= p ? up : Number(((Math.floor(pct / step + 1e-6) - 1) * step).toPrecision(12));
}

/**
 * A percentage as typed into a box: "12.5", "12,5" (a decimal comma), " 12.5 % ", "1e1"; null for anything that is
 * not one number ("abc", "", "1,234.5", "1.2.3"). Not clamped: the caller decides what 150 or -5 means.
 */
export function parsePercent(text: string): number | null {
  return parseTypedNumber(text.trim().replace(/\s*%$/, ''));
}

/** A signed log-odds contribution: "+0.42", "−0.13". */
export function formatContribution(c: number): string {
  return `${c >= 0 ? '+' : '−'}${Math.abs(c).toFixed(2)}`;
}

/**
 * Reading speed for the results line, "212 MB/s" or "640 kB/s"; empty for a file under 1 MB or a time under a
 * tenth of a second, where start-up dominates and a rate would say nothing (it used to read "0 MB/s").
 */
export function formatRate(bytes: number, seconds: number): string {
  if (!(seconds >= 0.1) || !(bytes >= 1e6)) return '';
  const perSecond = bytes / seconds;
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(0)} MB/s` : `${(perSecond / 1e3).toFixed(0)} kB/s`;
}

/** A change in probability as percentage points: "+6.1 points", "−0.04 points". */
export function formatPoints(change: number): string {
  const pts = Math.abs(change * 100);
  const text = pts >= 1 ? pts.toFixed(1) : pts >= 0.1 ? pts.toFixed(2) : pts.toPrecision(1);
  return `${change >= 0 ? '+' : '−'}${text} points`;
}

/** A chart axis tick with at most two decimals and no trailing zeros: "0.25", "0.5", "1". */
export function formatTick(v: number): string {
  return String(Number(v.toFixed(2)));
}

/** "12 s", "1 min 05 s", "< 1 s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return '< 1 s';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** "312 MB", "1.4 GB", "850 kB" (decimal units, like file managers). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}

const amount = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * An amount in the user's own currency, no symbol, always with two decimals, so that the money box's figures read
 * alike side by side: "12,480.40", "37.50", "−1,200.00", "0.00" (not "−0.00" for a tiny loss).
 */
export function formatAmount(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const text = amount.format(Math.abs(x));
  return text === '0.00' ? text : `${x < 0 ? '−' : ''}${text}`;
}

/**
 * The shortest decimal that is the same float32 as `v` (15.5738 for the float32 stored from "15.5738", which
 * prints as 15.573800086975098 in full): what a value read from the file is shown as, so editing it changes
 * nothing until the user changes it. Non-finite values are returned as they are.
 */
export function shortestFloat32(v: number): number {
  if (!Number.isFinite(v)) return v;
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const short = Number(f.toPrecision(p));
    if (Math.fround(short) === f) return short;
  }
  return f;
}
