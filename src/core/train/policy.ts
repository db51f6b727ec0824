/**
 * What a labelled file must hold before training starts, and the guard a trained model must pass before it is
 * offered: one policy for the training CLI and the app's training worker. Plus the app's rule for when a model
 * that passed becomes the model in use (switchVerdict): the CLI writes files and has no model in use.
 */
import { cardProblems } from '../card/card-check';
import type { MemberInfo } from '../input/types';

/** A file or a trained model refused by the training policy; the message says why, with the numbers. */
export class TrainingRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingRefusal';
  }
}

/**
 * The table to train on in an archive of several tables when none was named (Kaggle's competition archive:
 * train.csv beside test.csv and sample_submission.csv): its one table with a target column. With none or several,
 * a TrainingRefusal naming them (`archive`: the file's name; `how`: how to name one, the CLI's --member or the
 * page's choice).
 */
export function trainingMember(archive: string, members: readonly MemberInfo[], how: string): string {
  const labelled = members.filter((m) => m.use === 'evaluate');
  if (labelled.length === 1) return labelled[0].name;
  throw new TrainingRefusal(
    labelled.length === 0
      ? `None of the ${members.length} tables in ${archive} has a target column: training needs labelled rows.`
      : `${archive} holds ${labelled.length} tables with a target column (${labelled.map((m) => m.name).join(', ')}): ${how}`,
  );
}

/**
 * One-sided normal quantile for a chance of 1 in 1,000: an AUC above 0.5 + CHANCE_Z standard deviations of
 * the no-skill AUC is not luck of the holdout draw.
 */
const CHANCE_Z = 3.09;

/**
 * How far above 0.5 a holdout AUC must be before it says anything: CHANCE_Z standard deviations of the AUC of a
 * model with no skill, sqrt((n1 + n0 + 1) / (12 n1 n0)) for n1 positives and n0 negatives (the Mann-Whitney U
 * statistic's null variance divided by (n1 n0)^2; Mann and Whitney 1947, Hanley and McNeil 1982). 0.015 for the
 * committed model's 40,000-row holdout with 4,020 positives; 0.99 for 1 positive and 9 negatives.
 */
export function chanceMargin(positives: number, negatives: number): number {
  if (positives <= 0 || negatives <= 0) return Infinity;
  return CHANCE_Z * Math.sqrt((positives + negatives + 1) / (12 * positives * negatives));
}

/** Rows of each class the stratified holdout takes (the same rounding as stratifiedHoldout). */
export function holdoutCounts(
  positives: number,
  negatives: number,
  share: number,
): { positives: number; negatives: number } {
  return { positives: Math.round(positives * share), negatives: Math.round(negatives * share) };
}

/** The settings the up-front checks depend on. */
export interface SplitSettings {
  /** Share of rows kept out for the holdout, 0..1. */
  holdout: number;
  /** Cross-validation folds (each fold needs rows of both classes). */
  folds: number;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Whether a file with these class counts can give a model the guard could accept, whatever its skill. */
function enoughRows(positives: number, negatives: number, split: SplitSettings): boolean {
  const minimum = 2 * split.folds;
  if (positives < minimum || negatives < minimum) return false;
  const held = holdoutCounts(positives, negatives, split.holdout);
  return chanceMargin(held.positives, held.negatives) < 0.5;
}

/** The fewest rows of the rarer class that would do, with as many of the other class as the file has (or more). */
function fewestNeeded(positives: number, negatives: number, split: SplitSettings): number {
  const rarer = Math.min(positives, negatives);
  const other = Math.max(positives, negatives);
  for (let n = Math.max(rarer, 1); n < 1_000_000; n++) {
    if (enoughRows(n, Math.max(other, n), split)) return n;
  }
  return 1_000_000;
}

/**
 * Why `rows` labelled rows with `positives` of target 1 cannot train a model, or null when they can. Refused:
 * one class only; fewer than 2 rows of each class per fold; and a holdout so small that even a perfect model's
 * AUC of 1 would not clear 0.5 + chanceMargin (then no model could pass the guard).
 */
export function trainingRefusal(rows: number, positives: number, split: SplitSettings): string | null {
  const negatives = rows - positives;
  if (rows === 0) return 'It has no data rows.';
  if (positives === 0 || negatives === 0) {
    const only = positives === 0 ? 0 : 1;
    return (
      `All ${plural(rows, 'row')} have target ${only}: a model needs customers of both classes ` +
      '(target 1 made a transaction, target 0 did not).'
    );
  }
  if (enoughRows(positives, negatives, split)) return null;
  const held = holdoutCounts(positives, negatives, split.holdout);
  const needed = fewestNeeded(positives, negatives, split);
  const rarer = positives <= negatives ? 'target 1' : 'target 0';
  const margin = chanceMargin(held.positives, held.negatives);
  return (
    `Too few rows to train on: ${plural(rows, 'row')}, ${positives.toLocaleString('en-US')} with target 1 and ` +
    `${negatives.toLocaleString('en-US')} with target 0. The ${Math.round(split.holdout * 100)}% holdout ` +
    `would hold ${plural(held.positives, 'positive')} and ${plural(held.negatives, 'negative')}: ` +
    (Number.isFinite(margin) && margin < 0.5
      ? `training needs at least ${2 * split.folds} rows of each class (2 per cross-validation fold). `
      : 'too few to tell any model from chance. ') +
    `Use a file with at least ${plural(needed, 'row')} with ${rarer}: the fewest with which even a perfect model ` +
    'could be told from chance; a model that learns something needs many more, hundreds.'
  );
}

/** The checks a trained model passes before it is offered (and before the CLI writes it). */
export interface GuardInput {
  /** The parsed model card. */
  card: unknown;
  /** SHA-256 (hex) of the model bytes the card describes. */
  modelSha256: string;
}

/**
 * What is wrong with a trained model, empty when it may be offered: the retrain workflow's gate checks (a
 * well-formed card, the model's SHA-256 equal to the card's) plus a holdout AUC above 0.5 + chanceMargin of the
 * holdout's class counts.
 */
export function guardProblems({ card, modelSha256 }: GuardInput): string[] {
  const problems = cardProblems(card).map((p) => `the model card is malformed: ${p}`);
  if (problems.length > 0) return problems;
  const c = card as {
    model: { sha256: string };
    metrics: { holdout: { auc: number; rows: number; positives: number } };
  };
  if (c.model.sha256 !== modelSha256) {
    problems.push(
      `the model file does not match its card (card SHA-256 ${c.model.sha256}, file ${modelSha256})`,
    );
  }
  const { auc, rows, positives } = c.metrics.holdout;
  const margin = chanceMargin(positives, rows - positives);
  if (!(auc > 0.5 + margin)) {
    problems.push(
      `its holdout AUC of ${auc.toFixed(4)} is not above chance: with ${plural(positives, 'positive')} and ` +
        `${plural(rows - positives, 'negative')} in the holdout it must exceed ${(0.5 + margin).toFixed(4)} ` +
        `(0.5 + ${CHANCE_Z} standard deviations of a no-skill model's AUC)`,
    );
  }
  return problems;
}

/**
 * The model that was in use before a run, scored in the training worker on the new model's holdout rows
 * (previousOnHoldout in compare-previous.ts). Both AUCs are rounded to 6 significant digits, as the card rounds
 * the new model's.
 */
export type PreviousOnHoldout =
  /**
   * No record of the rows it was fitted on (the built-in model, a model file from before fitted-rows.bin): its
   * AUC on all the holdout rows, some of which it may have been fitted on.
   */
  | { auc: number; fitted?: undefined }
  /**
   * With its record: its AUC and the new model's (`trained`) on the `rows` holdout rows it was not fitted on
   * (the new model was fitted on none), `leftOut` rows left out as fitted by it; `chance`: no more of them than
   * the record's false positives (1 row in 10,000) give rows it never saw, once in a million files.
   */
  | { auc: number; fitted: { rows: number; leftOut: number; trained: number; chance?: boolean } }
  /** With its record: too few holdout rows it was not fitted on to compare the two (see comparable). */
  | { tooFew: { leftOut: number; positives: number; negatives: number } }
  /** It could not be scored there: why. */
  | { problem: string };

/**
 * Whether rows with these class counts can compare two models: the floor the policy puts on a holdout
 * (trainingRefusal), that even a perfect model's AUC of 1 would clear 0.5 + chanceMargin on them.
 */
export function comparable(positives: number, negatives: number): boolean {
  return chanceMargin(positives, negatives) < 0.5;
}

/** Whether a trained model that passed the guard becomes the model in use, and the page's words for why. */
export interface SwitchVerdict {
  switchIn: boolean;
  /**
   * Switched in: what follows "is now in use" ("(holdout AUC … on the same rows)"); kept out: one sentence
   * naming both AUCs and which model stays in use.
   */
  reason: string;
}

/** Two AUCs to 4 decimals, as the page shows them; to 6 when 4 would print them equal. */
function formatPair(a: number, b: number): [string, string] {
  const digits = a.toFixed(4) === b.toFixed(4) && a !== b ? 6 : 4;
  return [a.toFixed(digits), b.toFixed(digits)];
}

/**
 * The rule for switching a model that passed the guard in: its holdout AUC must not be below the AUC of the
 * model in use before, on the same holdout rows, leaving out the rows the model in use was fitted on when it has
 * a record of them (its figure on those is flattered: the user test's t2k model "won" 0.8740 against 0.8568 on
 * 1,000 rows, 313 of which it was fitted on; on 20,000 fresh rows it was the worse, 0.8021 against 0.8389).
 * `names` say how the sentences name the two: trained "Your model" or "The new model", previous "the built-in
 * model" or "your model <version>".
 *
 * "Not lower", with no tolerance in standard errors: the two AUCs are paired (the same rows, so most of the luck
 * of the holdout draw is shared), and the two mistakes cost differently. A worse model switched in scores every
 * later file worse without a word (the user test: 0.8379 on 1,000 holdout rows against about 0.89 for the
 * built-in model, then 0.8439 against 0.8974 on the next file); a model kept out costs one click on "use it
 * anyway", with both figures on the page. A tolerance of k standard errors of the difference would switch in,
 * silently, models measured as worse by up to k of them: on that holdout (about 100 positives) one is about
 * 0.024 (Hanley and McNeil 1982, the two AUCs correlated 0.5), so k = 2 would have come within a hair of letting
 * the user test's model, 0.052 worse, through. Equal AUCs switch in (retraining on the same file gives the same
 * model). A previous model that could not be scored, or not on enough rows it was not fitted on, keeps the new
 * one out: it was not shown to be as good.
 */
export function switchVerdict(
  holdout: { rows: number; auc: number },
  previous: PreviousOnHoldout,
  names: { trained: string; previous: string },
): SwitchVerdict {
  const { trained, previous: previousName } = names;
  const stays = `${previousName} stays in use.`;
  if ('problem' in previous) {
    return {
      switchIn: false,
      reason:
        `${trained}'s holdout AUC is ${holdout.auc.toFixed(4)} on ${plural(holdout.rows, 'row')}, but ` +
        `${previousName} could not be scored on the same rows (${previous.problem}): ${stays}`,
    };
  }
  if ('tooFew' in previous) {
    const { leftOut, positives, negatives } = previous.tooFew;
    return {
      switchIn: false,
      reason:
        `${trained}'s holdout AUC is ${holdout.auc.toFixed(4)} on ${plural(holdout.rows, 'row')}, but ` +
        `${previousName} was fitted on ${leftOut.toLocaleString('en-US')} of them: the other ` +
        `${plural(positives + negatives, 'row')} (${plural(positives, 'positive')}, ` +
        `${plural(negatives, 'negative')}) are too few to compare the two, as even a perfect model could not ` +
        `be told from chance on them: ${stays}`,
    };
  }
  const fitted = previous.fitted;
  const mineAuc = fitted ? fitted.trained : holdout.auc;
  const rows = plural(fitted ? fitted.rows : holdout.rows, 'row');
  const [mine, theirs] = formatPair(mineAuc, previous.auc);
  const leftOut = !fitted?.leftOut
    ? ''
    : fitted.chance
      ? `${fitted.leftOut.toLocaleString('en-US')} left out: ${fitted.leftOut === 1 ? 'it matches' : 'they match'} ` +
        `the record of the rows ${previousName} was fitted on, as about 1 row in 10,000 it never saw does`
      : `${fitted.leftOut.toLocaleString('en-US')} left out: ${previousName} was fitted on them`;
  const capitalised = previousName.charAt(0).toUpperCase() + previousName.slice(1);
  if (mineAuc >= previous.auc) {
    return {
      switchIn: true,
      reason: fitted
        ? `(holdout AUC ${mine} against ${theirs} for ${previousName} on the same ${rows}, which neither was ` +
          `fitted on${leftOut ? `; ${leftOut}` : ''})`
        : `(holdout AUC ${mine} against ${theirs} for ${previousName} on the same ${rows})`,
    };
  }
  return {
    switchIn: false,
    reason: fitted
      ? `${trained}'s holdout AUC is ${mine} against ${theirs} for ${previousName} on the same ${rows}, which ` +
        `neither was fitted on${leftOut ? ` (${leftOut})` : ''}: ${stays}`
      : `${trained}'s holdout AUC is ${mine} against ${theirs} for ${previousName} on the same ${rows}: ` +
        `${stays} ${capitalised}'s figure may be flattered if it was fitted on rows of this file: it has no ` +
        'record of the rows it was fitted on.',
  };
}
