/** The model card: what training writes next to model.onnx and what the app reads to explain and check it. */

/** One point of a curve, e.g. ROC (x = false positive rate, y = true positive rate). */
export interface CurvePoint {
  x: number;
  y: number;
}

/** Precision and recall when flagging the top `share` of customers by score. */
export interface ThresholdRow {
  /** Share of customers flagged, 0..1 (0.01 = top 1%). */
  share: number;
  /** Probability at or above which a customer is flagged. */
  threshold: number;
  precision: number;
  /** Share of all positives captured. */
  recall: number;
}

/** One bin of a calibration (reliability) table. */
export interface CalibrationBin {
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Observed positive rate in the bin. */
  observed: number;
  count: number;
}

/** Per-feature facts of the training data and the learned shape. */
export interface FeatureInfo {
  name: string;
  /** Mean absolute contribution to the log-odds on the holdout rows. */
  importance: number;
  /** Training quantiles at QUANTILE_LEVELS, for drift checks and "where does this value sit". */
  quantiles: number[];
}

/** Quantile levels stored per feature in the card. */
export const QUANTILE_LEVELS: readonly number[] = [
  0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1,
];

/** Evaluation figures on one set of rows. */
export interface Evaluation {
  rows: number;
  positives: number;
  auc: number;
  logLoss: number;
  prAuc: number;
}

/** The synthetic generator's kinds (training/synth), strongest evidence of realism first. */
export type GeneratorKind = 'realistic' | 'shapes';

/**
 * What the model can be expected to do on the real Kaggle data: an estimate, never a measurement, with what it
 * rests on and what the model cannot know.
 */
export interface RealDataEstimate {
  /** Expected AUC on the real train/test data: a range, low and high end. */
  aucLow: number;
  aucHigh: number;
  /** What the estimate rests on, one or two sentences with sources. */
  basis: string;
  /** What the model cannot know about the real data, one sentence each. */
  limits: string[];
}

/** model-card.json */
export interface ModelCard {
  /** Card format version. */
  schema: 1;
  /** Model version, e.g. "2026-11-27.1"; the registry lists every published one. */
  version: string;
  createdAt: string;
  gitCommit: string;
  /** 'browser': trained by the app in a browser ("Train a model"); absent: by the training CLI. */
  trainedIn?: 'browser';
  model: {
    file: string;
    sha256: string;
    bytes: number;
    kind: string;
    /** Hyper-parameters as trained. */
    parameters: Record<string, number | string | boolean>;
    inputs: string[];
    outputs: string[];
    /** What a missing or non-finite feature value does. */
    missingValues: string;
  };
  data: {
    /** "kaggle" for the real competition file, "synthetic" for the project's generator. */
    source: 'kaggle' | 'synthetic' | 'other';
    file: string;
    sha256: string;
    rows: number;
    positives: number;
    /**
     * One sentence saying exactly what the rows are (e.g. "200,000 synthetic rows drawn from the real
     * train.csv's published per-class figures (...)"); shown next to every card figure. Absent in older cards.
     */
    description?: string;
    /**
     * Generator settings when source is synthetic. `kind`: "realistic" (per-class densities matched to the real
     * data's published per-class mean, sd and 1%/99% quantiles) or "shapes" (class differences drawn by a
     * shape seed); absent in cards written before the realistic kind existed, which were all "shapes".
     */
    generator?: { kind?: GeneratorKind } & Record<string, number | string>;
  };
  metrics: {
    holdout: Evaluation & { share: number };
    cv: { folds: number; aucMean: number; aucStd: number; aucs: number[] };
    /** Holdout AUC of the Bayes-optimal log-odds and our ratio to it, when the data's generator is known. */
    bayes?: { auc: number; ratio: number };
    /** Simple baselines trained on the same rows, for context. */
    baselines?: Record<string, number>;
    trainSeconds: number;
  };
  charts: {
    roc: CurvePoint[];
    pr: CurvePoint[];
    calibration: CalibrationBin[];
    thresholds: ThresholdRow[];
    /** Histogram of holdout probabilities: bin edges (length n+1) and counts (length n). */
    scoreHistogram: { edges: number[]; counts: number[] };
  };
  features: FeatureInfo[];
  /**
   * The record of the rows the model was fitted on (the training part, not the holdout): `file` beside
   * model.onnx (fitted-rows.bin, src/core/fit/fitted-rows.ts), its SHA-256 and bytes, the rows it holds and the
   * share of other rows it reports as fitted. Absent in older cards and for models without one.
   */
  fittedRows?: { file: string; sha256: string; bytes: number; rows: number; falsePositiveRate: number };
  /** The expected AUC on the real Kaggle data when the model was trained on other rows; absent in older cards. */
  realData?: RealDataEstimate;
}
