/** Hand-made model cards for the gate and registry tests: only the fields those read, with plausible values. */
import type { CheckedCard } from '../../src/core/card/card-check';

/** A digest made of one repeated hex digit, so tests can tell models apart at a glance. */
export const fakeSha = (digit: string): string => digit.repeat(64);

/** A valid card with the given fields changed. */
export function makeCard(
  o: {
    version?: string;
    source?: CheckedCard['data']['source'];
    /** The generator kind of a synthetic card; omitted, the card predates kinds (and counts as "shapes"). */
    kind?: 'realistic' | 'shapes';
    dataSha?: string;
    modelSha?: string;
    auc?: number;
    createdAt?: string;
  } = {},
): CheckedCard {
  const auc = o.auc ?? 0.9;
  return {
    schema: 1,
    version: o.version ?? '2026-11-27.1',
    createdAt: o.createdAt ?? '2026-11-27T10:00:00.000Z',
    model: {
      file: 'model.onnx',
      sha256: o.modelSha ?? fakeSha('a'),
      bytes: 1000,
      kind: 'additive',
      parameters: {},
      inputs: ['features'],
      outputs: ['probability', 'contributions'],
      missingValues: 'neutral',
    },
    data: {
      source: o.source ?? 'synthetic',
      file: 'train.csv',
      sha256: o.dataSha ?? fakeSha('d'),
      rows: 200_000,
      positives: 20_100,
      ...(o.kind ? { generator: { kind: o.kind } } : {}),
    },
    metrics: {
      holdout: { rows: 40_000, positives: 4_020, auc, logLoss: 0.25, prAuc: 0.55, share: 0.2 },
      cv: { folds: 5, aucMean: auc - 0.001, aucStd: 0.002, aucs: [auc, auc, auc, auc, auc - 0.005] },
      trainSeconds: 10,
    },
  };
}
