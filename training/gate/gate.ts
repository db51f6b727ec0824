/** The quality gate: may a freshly trained model replace the published one? Pure logic; the CLI reads files. */
import { cardProblems, type CheckedCard, type DataKind, dataKind } from '../../src/core/card/card-check';
import { lastEntryFor, type Registry } from './registry';

/** Holdout AUC a candidate may lose against its baseline and still pass. */
export const DEFAULT_TOLERANCE = 0.002;
/** A model at or below chance ranks customers no better than shuffling them, whatever the baseline says. */
const CHANCE_AUC = 0.5;

/**
 * How strongly each kind of training data speaks for the real data. A model never replaces one trained on
 * stronger data; "other" files are not ranked (only Kaggle's real data outranks them).
 */
const STRENGTH: Partial<Record<DataKind, number>> = { kaggle: 3, realistic: 2, shapes: 1 };

/** How the gate's messages name a kind of data. */
const KIND_LABEL: Record<DataKind, string> = {
  kaggle: 'kaggle',
  realistic: 'synthetic realistic',
  shapes: 'synthetic shapes',
  other: 'other',
};

/** What would have to change for a candidate to replace a model trained on stronger data. */
const REMEDY: Record<'kaggle' | 'realistic', string> = {
  kaggle: 'add the KAGGLE_USERNAME/KAGGLE_KEY secrets or retrain on Kaggle data',
  realistic: 'train on the realistic kind (npm run data -- --kind realistic) or on Kaggle data',
};

/** True when a model trained on `baseline` data must not be replaced by one trained on `candidate` data. */
function outranks(baseline: DataKind, candidate: DataKind): boolean {
  if (baseline === 'kaggle') return candidate !== 'kaggle';
  const b = STRENGTH[baseline];
  const c = STRENGTH[candidate];
  return b !== undefined && c !== undefined && b > c;
}

/** What the gate compared the candidate with. */
export interface GateBaseline {
  /** e.g. "baseline card 2026-11-27.1" or "registry entry 2026-10-02.1". */
  label: string;
  /** The kind of data both were trained on, e.g. "kaggle" or "synthetic realistic". */
  source: string;
  auc: number;
}

/** The gate's verdict: pass only when `reasons` is empty. */
export interface GateResult {
  pass: boolean;
  /** Why the candidate was stopped, one sentence each. */
  reasons: string[];
  /** Facts worth printing that do not stop it. */
  notes: string[];
  baseline?: GateBaseline;
}

/** Inputs of the gate, already parsed from JSON but not yet trusted. */
export interface GateInput {
  candidate: unknown;
  /** The live model's card (models/model-card.json); null when there is none to compare with. */
  baseline: unknown;
  /** models/registry.json, used when candidate and baseline were trained on different data sources. */
  registry?: Registry | null;
  tolerance?: number;
  /** SHA-256 of the candidate's .onnx file as found on disk, checked against the card when given. */
  candidateModelSha256?: string;
}

const fmt = (v: number) => v.toFixed(4);

/**
 * Decides whether the candidate may be published.
 * Stops it when either card is malformed (non-finite metrics included), when its holdout AUC is at or below
 * chance, when the card does not describe the model file, when it would replace a model trained on stronger
 * data (Kaggle > synthetic realistic > synthetic shapes; Kaggle also outranks other files), or when its
 * holdout AUC is below the like-for-like baseline's by more than the tolerance. Like-for-like: the baseline
 * card when both were trained on the same kind of data, else the registry's last entry of the candidate's
 * kind; with neither, it passes with a note.
 */
export function runGate(input: GateInput): GateResult {
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    return { pass: false, reasons: [`tolerance ${tolerance} must be a finite number >= 0`], notes: [] };
  }
  const reasons: string[] = [];
  const notes: string[] = [];
  const stop = (): GateResult => ({ pass: false, reasons, notes });

  const candidateProblems = cardProblems(input.candidate);
  if (candidateProblems.length > 0) {
    reasons.push(`candidate card is malformed: ${candidateProblems.join('; ')}`);
  }
  const hasBaseline = input.baseline !== null && input.baseline !== undefined;
  const baselineProblems = hasBaseline ? cardProblems(input.baseline) : [];
  if (baselineProblems.length > 0) {
    reasons.push(`baseline card is malformed: ${baselineProblems.join('; ')}`);
  }
  if (reasons.length > 0) return stop();

  const candidate = input.candidate as CheckedCard;
  const auc = candidate.metrics.holdout.auc;
  if (auc <= CHANCE_AUC) {
    reasons.push(`candidate holdout AUC ${fmt(auc)} is no better than chance (${CHANCE_AUC})`);
  }
  if (input.candidateModelSha256 !== undefined && input.candidateModelSha256 !== candidate.model.sha256) {
    reasons.push(
      `candidate card describes model ${candidate.model.sha256.slice(0, 12)}... but the model file is ` +
        `${input.candidateModelSha256.slice(0, 12)}...`,
    );
  }

  if (!hasBaseline) {
    notes.push('no baseline card: the AUC is not compared (first model)');
    return reasons.length > 0 ? stop() : { pass: true, reasons, notes };
  }
  const baselineCard = input.baseline as CheckedCard;
  const kind = dataKind(candidate);
  const baselineKind = dataKind(baselineCard);
  const label = KIND_LABEL[kind];
  let baseline: GateBaseline | undefined;
  if (baselineKind === kind) {
    baseline = {
      label: `baseline card ${baselineCard.version}`,
      source: label,
      auc: baselineCard.metrics.holdout.auc,
    };
    if (baselineCard.data.sha256 !== candidate.data.sha256) {
      notes.push(
        `same source (${label}) but a different data file than the baseline's: ` +
          'the holdout rows differ, so part of any AUC change is the data, not the model',
      );
    }
    if (baselineCard.model.sha256 === candidate.model.sha256) {
      notes.push('candidate model is byte-identical to the baseline');
    }
  } else if (outranks(baselineKind, kind)) {
    const stronger = baselineKind as 'kaggle' | 'realistic';
    reasons.push(
      stronger === 'kaggle'
        ? `candidate was trained on ${label} data and would replace a model trained on the real Kaggle data ` +
            `(${baselineCard.version}); ${REMEDY.kaggle}`
        : `candidate was trained on ${label} data and would replace a model trained on ` +
            `${KIND_LABEL[stronger]} data, which carries the real per-class figures ` +
            `(${baselineCard.version}); ${REMEDY.realistic}`,
    );
  } else {
    const previous = input.registry ? lastEntryFor(input.registry, kind) : undefined;
    if (previous) {
      baseline = { label: `registry entry ${previous.version}`, source: label, auc: previous.holdoutAuc };
      notes.push(
        `baseline card was trained on ${KIND_LABEL[baselineKind]} data: compared with the last ${label} model ` +
          `in the registry instead`,
      );
    } else {
      notes.push(
        `baseline card was trained on ${KIND_LABEL[baselineKind]} data and the registry has no ${label} model: ` +
          `first ${label} model, no like-for-like comparison`,
      );
    }
  }

  if (baseline) {
    const drop = baseline.auc - auc;
    // 1e-12 absorbs binary rounding, so a drop of exactly the tolerance passes as documented.
    if (drop - tolerance > 1e-12) {
      reasons.push(
        `candidate holdout AUC ${fmt(auc)} is worse than ${baseline.label}'s ${fmt(baseline.auc)} by ` +
          `${fmt(drop)}, more than the tolerance ${tolerance}`,
      );
    } else {
      notes.push(
        `holdout AUC ${fmt(auc)} vs ${fmt(baseline.auc)} (${baseline.label}; tolerance ${tolerance})`,
      );
    }
  }
  return { pass: reasons.length === 0, reasons, notes, baseline };
}
