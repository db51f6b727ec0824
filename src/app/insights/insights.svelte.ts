/**
 * The insights' state: the scored file as the worker ranked and evaluated it (once, while scoring), the chosen
 * line, and the customer being explained. Every line change is a binary search on the ranking, so the page
 * answers at once; nothing here walks the rows (the flagged download and look-ups by ID_code run in the worker).
 */
import { waterfall, type Waterfall } from '../../core/insights/explain';
import { idAt } from '../../core/ids';
import { actualCapture, expectedCapture, type GainsCurve, gainsCurve } from '../../core/insights/gains';
import { type LineRule, type ResolvedLine, resolveLine } from '../../core/insights/cut-line';
import { headerFromColumns } from '../../core/insights/rows';
import {
  atShare,
  atThreshold,
  validationCurve,
  type ValidationPoint,
} from '../../core/insights/holdout-figures';
import type { ModelCard } from '../../core/model-card';
import { describePastedIssue } from '../../core/row-issues/wording';
import type { ExplainedEntry } from '../../core/scoring/score-file';
import { scoring } from '../scoring.svelte';
import { models } from '../training/models.svelte';
import {
  type ExplainedCustomer,
  explainAt,
  type FoundRows,
  explainPasted,
  explainValues,
  findCustomerInWorker,
  flaggedCsvInWorker,
  isAbort,
  type ScoreResult,
} from '../worker-bridge';

/** The ranking and evaluation of a scored file, as the worker computed them. */
export type RankedFile = Pick<ScoreResult, 'ranking' | 'evaluation' | 'cardCheck'>;

/** Said when the worker no longer holds the file the page shows (it was replaced after a cancel or a crash). */
const GONE = 'The scoring worker no longer holds this file: score it again.';

/** A customer with the explanation shown for them. */
export interface Explanation {
  customer: ExplainedCustomer;
  waterfall: Waterfall;
  /** Where it came from, for the heading. */
  source: 'file' | 'pasted' | 'form';
  /** 0-based place in the file's ranking (best first); null for a pasted or edited customer, or when unknown. */
  rank: number | null;
  /** What the reader found wrong in a pasted row's cells, in words (each such cell was scored as missing). */
  problems: string[];
  /** How a pasted row's columns were matched, when another reading would also fit (PastedCsv's note). */
  note: string | null;
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}

/** Builds the waterfall of a scored customer, with the intercept and quantiles of the card of its model. */
function explanationOf(
  customer: ExplainedCustomer,
  source: Explanation['source'],
  card: ModelCard,
  more: Partial<Pick<Explanation, 'rank' | 'problems' | 'note'>> = {},
): Explanation {
  const quantiles = card.features.map((f) => f.quantiles);
  const intercept = Number(card.model.parameters.intercept);
  return {
    customer,
    source,
    rank: more.rank ?? null,
    problems: more.problems ?? [],
    note: more.note ?? null,
    waterfall: waterfall(customer.contributions, customer.features, intercept, quantiles),
  };
}

class InsightsState {
  /**
   * The card of the model in use (Your model or the built-in one). A change of model clears the results and
   * scores the file again, so the results on screen always come from the model this card describes.
   */
  card = $derived<ModelCard>(models.card);
  /** The card's holdout evidence arranged for look-ups (precision, capture and gains at any share). */
  holdoutCurve = $derived(validationCurve(this.card));
  /** The result the insights show. */
  result = $state.raw<ScoreResult | null>(null);
  /** The result's ranking and evaluation (the result itself: they arrive with it). */
  ranked = $derived<RankedFile | null>(this.result);
  rule = $state.raw<LineRule>({ mode: 'share', share: 0.1 });
  /** The rule applied to the file. */
  line = $derived<ResolvedLine | null>(this.ranked ? resolveLine(this.ranked.ranking, this.rule) : null);
  /**
   * The card's holdout figures for the same rule: the same share of customers, or the same score cut (then a
   * file whose scores run higher or lower than the holdout's flags a different share, at the holdout's precision).
   */
  expected = $derived<ValidationPoint | null>(
    !this.line
      ? null
      : this.rule.mode === 'share'
        ? atShare(this.holdoutCurve, this.line.share)
        : atThreshold(this.holdoutCurve, this.rule.threshold),
  );
  /** The gains curves of the ranked file (a few hundred points, from the ranking's running sums). */
  gains = $derived<GainsCurve | null>(
    this.ranked ? gainsCurve(this.ranked.ranking, this.ranked.evaluation, this.holdoutCurve) : null,
  );
  /** Expected share of the file's transactions reached at the line (the gains chart's marker). */
  capture = $derived<number>(
    this.ranked && this.line ? expectedCapture(this.ranked.ranking, this.line.count) : NaN,
  );
  /** Share of the labelled transactions actually reached at the line (NaN without labels). */
  actual = $derived<number>(
    this.ranked?.evaluation && this.line ? actualCapture(this.ranked.evaluation, this.line.count) : NaN,
  );
  /**
   * The model in use is the user's and was trained on this very file: its card names a file of the same name and
   * row count. Figures on the file's labels then rest mostly on the rows the model was fitted to, and flatter it.
   */
  trainedOnFile = $derived<boolean>(
    models.active === 'yours' &&
      this.result !== null &&
      scoring.file?.name === this.card.data.file &&
      this.result.summary.rows === this.card.data.rows,
  );
  selected = $state.raw<Explanation | null>(null);
  /**
   * The rows of an ID_code searched for that the file holds more than once (each is scored as given): the first
   * is explained, the others are offered. Null when the last search found one row or none.
   */
  repeats = $state.raw<({ id: string } & FoundRows) | null>(null);
  /** A customer explanation is being looked up. */
  looking = $state(false);
  lookError = $state<string | null>(null);
  /**
   * Said above the customer a search found only without the spaces around the ID_code typed (ids are kept
   * byte-exact: an exact match always comes first). Shown while that customer is.
   */
  lookNote = $state.raw<{ id: string; text: string } | null>(null);
  single = $state.raw<Explanation | null>(null);
  singleError = $state<string | null>(null);
  private lookup = 0;
  private singleJob = 0;

  /** Shows a new result: it arrives ranked and evaluated, so nothing is computed here. */
  load(result: ScoreResult): void {
    if (this.result === result) return;
    this.result = result;
    this.selected = null;
    this.repeats = null;
    this.lookError = null;
    this.lookNote = null;
  }

  /** Sets the line. */
  setRule(rule: LineRule): void {
    this.rule = rule;
  }

  /** Explains a top customer (`rank` in the ranking): contributions were kept by the worker, no file read. */
  private showTop(entry: ExplainedEntry, rank: number | null): void {
    this.lookup++;
    this.lookError = null;
    this.looking = false;
    this.selected = explanationOf({ ...entry, target: null }, 'file', this.card, { rank });
  }

  /**
   * Explains the customer at file index `index` (0-based), `rank` (0-based) in the ranking (the list knows it; a
   * search gets it from the worker): kept contributions, else a slice of the file.
   */
  async showIndex(index: number, rank: number): Promise<void> {
    const result = this.result;
    if (!result || index < 0 || index >= result.ids.count) return;
    const id = idAt(result.ids, index);
    const place = rank >= 0 ? rank : null;
    const entry = result.top.find((e) => e.row === index + 1);
    if (entry && entry.id === id) return this.showTop(entry, place);
    const job = ++this.lookup;
    const file = scoring.file;
    this.looking = true;
    this.lookError = null;
    try {
      if (!file) throw new Error('The file is no longer available: score it again.');
      const found = await explainAt(file, index, id);
      if (job !== this.lookup) return;
      if (found) this.selected = explanationOf(found, 'file', this.card, { rank: place });
      else this.lookError = `Could not read customer "${id}" from ${file.name} again: was the file changed?`;
    } catch (error) {
      if (job === this.lookup && !isAbort(error)) this.lookError = messageOf(error);
    } finally {
      if (job === this.lookup) this.looking = false;
    }
  }

  /**
   * Finds a customer by ID_code (the first row with it, found by the worker) and explains them. The ID_code is
   * matched exactly as typed, spaces included (ids are kept byte-exact); only when nothing matches is it looked
   * for again without the spaces around it, and the page says so.
   */
  async showId(id: string): Promise<void> {
    const result = this.result;
    if (!result) return;
    const trimmed = id.trim();
    if (!trimmed) {
      // An empty search asks for nothing: a message about the last one would be stale.
      this.lookError = null;
      return;
    }
    const job = ++this.lookup;
    let wanted = id;
    let found: FoundRows | null;
    let note: string | null = null;
    try {
      found = await findCustomerInWorker(result.resultId, id);
      if (found && found.count === 0 && trimmed !== id) {
        const loose = await findCustomerInWorker(result.resultId, trimmed);
        if (loose && loose.count > 0) {
          wanted = trimmed;
          found = loose;
          note =
            `No ID_code is exactly ${JSON.stringify(id)}; this is ${JSON.stringify(trimmed)}, the same without ` +
            'the spaces around it.';
        }
      }
    } catch (error) {
      if (job === this.lookup && !isAbort(error)) this.lookError = messageOf(error);
      return;
    }
    if (job !== this.lookup || this.result !== result) return;
    this.repeats = found && found.count > 1 ? { id: wanted, ...found } : null;
    this.lookNote = note === null ? null : { id: wanted, text: note };
    if (found && found.count > 0) return this.showIndex(found.rows[0].index, found.rows[0].rank);
    this.looking = false;
    // The customer explained before is not the one asked for: their explanation under this message would mislead.
    this.selected = null;
    this.lookError =
      found === null ? GONE : `No customer with ID_code ${JSON.stringify(id)} in ${scoring.fileName}.`;
  }

  /** Clears the single-customer panel's result and error (and ignores any answer still on its way). */
  clearSingle(): void {
    this.singleJob++;
    this.single = null;
    this.singleError = null;
  }

  /** Scores a pasted CSV row; the panel then shows its result or why it failed, never both. */
  async explainPasted(text: string): Promise<void> {
    const columns = this.result?.info.columns;
    const job = ++this.singleJob;
    this.singleError = null;
    this.single = null;
    try {
      const explained = await explainPasted(text, columns ? headerFromColumns(columns) : null);
      const problems = explained.issues.map(describePastedIssue);
      if (job === this.singleJob) {
        this.single = explanationOf(explained, 'pasted', this.card, { problems, note: explained.note });
      }
    } catch (error) {
      if (job === this.singleJob && !isAbort(error)) this.singleError = messageOf(error);
    }
  }

  /** Scores edited values (the latest edit wins). */
  async explainValues(id: string, values: Float32Array): Promise<void> {
    const job = ++this.singleJob;
    try {
      const explained = await explainValues(id, values);
      if (job !== this.singleJob) return;
      this.singleError = null;
      this.single = explanationOf(explained, 'form', this.card);
    } catch (error) {
      if (job === this.singleJob && !isAbort(error)) {
        this.single = null;
        this.singleError = messageOf(error);
      }
    }
  }

  /** Why the flagged download failed, if it did. */
  flaggedError = $state<string | null>(null);

  /** predictions.csv with a `flagged` column for the current line, written by the worker. */
  async flaggedBlob(): Promise<Blob | null> {
    const { result, line } = this;
    if (!result || !line) return null;
    this.flaggedError = null;
    try {
      const blob = await flaggedCsvInWorker(result.resultId, line.count);
      if (!blob && this.result === result) this.flaggedError = GONE;
      return this.result === result ? blob : null;
    } catch (error) {
      if (this.result === result && !isAbort(error)) this.flaggedError = messageOf(error);
      return null;
    }
  }
}

/** The app's one insights state. */
export const insights = new InsightsState();
