/**
 * What contacting customers is worth, given a cost per contact and a value per transaction: the break-even score
 * and the expected net value of a line. With calibrated probabilities p, contacting one customer adds
 * p × value − cost on average, so the best line contacts everyone whose p is at least cost / value (the
 * textbook profit curve's maximum; it holds only as far as the scores are probabilities, which the model card's
 * calibration and a labelled file's calibration check show).
 */
import { parseTypedNumber } from '../typed-number';
import { countAtLeast, type Ranking } from './cut-line';

/** The user's figures, in one currency: both finite, cost ≥ 0, value > 0. */
export interface ContactTerms {
  /** Cost of contacting one customer. */
  cost: number;
  /** Value of one transaction made. */
  value: number;
}

/** The lowest score at which a contact pays for itself on average: cost / value (may exceed 1: none does). */
export function breakEvenScore(terms: ContactTerms): number {
  return terms.cost / terms.value;
}

/**
 * Expected net value of contacting the first `count` customers of the ranking: value × (their expected
 * transactions, the sum of their probabilities) − cost × count. `count` is clamped to 0..n.
 */
export function expectedNetValue(
  ranking: Pick<Ranking, 'cumulative'>,
  count: number,
  terms: ContactTerms,
): number {
  const n = ranking.cumulative.length - 1;
  const k = Math.min(n, Math.max(0, Math.round(count)));
  return terms.value * ranking.cumulative[k] - terms.cost * k;
}

/**
 * The count with the highest expected net value: everyone scoring at or above the break-even score (a customer
 * exactly at it adds 0). 0 when the break-even score is above every score.
 */
export function bestContactCount(ranking: Pick<Ranking, 'sorted'>, terms: ContactTerms): number {
  const threshold = breakEvenScore(terms);
  return threshold > 1 ? 0 : countAtLeast(ranking.sorted, threshold);
}

/**
 * Net value on a labelled file's own outcomes: value × the transactions actually made among the first `count`
 * customers (`reached`, from the labels) − cost × count.
 */
export function actualNetValue(reached: number, count: number, terms: ContactTerms): number {
  return terms.value * reached - terms.cost * count;
}

/**
 * The terms read from two boxes of text (plain numbers; "1,5" read as 1.5, "40,000" as 40000: parseTypedNumber's
 * `grouping`), or why they cannot be used and which box says so (null: both boxes empty).
 */
export function parseTerms(
  costText: string,
  valueText: string,
): ContactTerms | { field: 'cost' | 'value'; problem: string } | null {
  if (costText.trim() === '' && valueText.trim() === '') return null;
  // Amounts: 40,000 is forty thousand (read as a decimal comma it was 40, and the break-even 1,000 times too high).
  const cost = parseTypedNumber(costText, { grouping: true });
  const value = parseTypedNumber(valueText, { grouping: true });
  const notANumber = (what: string, text: string) =>
    `${what} must be a plain number such as 40, 2.5 or 40,000, without a currency sign: "${text.trim()}" is not one.`;
  if (cost === null) return { field: 'cost', problem: notANumber('The cost of a contact', costText) };
  if (cost < 0) return { field: 'cost', problem: 'The cost of a contact must be a number, 0 or more.' };
  if (value === null) return { field: 'value', problem: notANumber('The value of a transaction', valueText) };
  if (value <= 0) return { field: 'value', problem: 'The value of a transaction must be a number above 0.' };
  return { cost, value };
}
