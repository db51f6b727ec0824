import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from '../../src/core/model-card';
import { QUANTILE_LEVELS } from '../../src/core/model-card';
import { FEATURE_COUNT } from '../../src/core/schema';
import { generate } from '../synth/sample';
import { rowsToCsv, tempDir } from '../testing/csv-fixture';
import { scoreFile } from '../score/run';
import { train } from './run';

describe('train()', () => {
  let dir = '';
  let data = '';
  let spec = '';
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(() => {
    dir = tempDir('train-run');
    const rows = generate({ rows: 3000, seed: 9, shapeSeed: 2 });
    data = join(dir, 'train.csv');
    writeFileSync(data, rowsToCsv(rows.features, rows.targets));
    spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify(rows.spec));
  });

  it('gives a byte-identical model.onnx for the same data and seed, and a different one for another seed', async () => {
    // A short smoothing grid keeps this fast; determinism does not depend on its length.
    const fit = { lambdas: [1e2, 1e4, 1e6, 1e8] };
    const options = { data, seed: 7, holdout: 0.2, folds: 3, baselines: false, fit };
    const a = await train({ ...options, out: join(dir, 'a') });
    const b = await train({ ...options, out: join(dir, 'b') });
    const c = await train({ ...options, seed: 8, out: join(dir, 'c') });
    const bytes = (p: string) => readFileSync(p);
    expect(bytes(a.modelPath).equals(bytes(b.modelPath))).toBe(true);
    expect(bytes(a.modelPath).equals(bytes(c.modelPath))).toBe(false);
    expect(readdirSync(join(dir, 'a')).sort()).toEqual([
      'fitted-rows.bin',
      'model-card.json',
      'model-card.md',
      'model.onnx',
    ]);
    // The record of fitted rows is deterministic too, and the card describes it.
    expect(bytes(join(dir, 'a', 'fitted-rows.bin')).equals(bytes(join(dir, 'b', 'fitted-rows.bin')))).toBe(
      true,
    );
    expect(createHash('sha256').update(bytes(a.fittedRowsPath)).digest('hex')).toBe(
      a.card.fittedRows?.sha256,
    );
    expect(a.card.fittedRows?.rows).toBe(a.card.data.rows - a.card.metrics.holdout.rows);
  });

  it('npm run score on its own training file finds the rows it was fitted on by the record beside the model', async () => {
    const fit = { lambdas: [1e2, 1e4, 1e6, 1e8] };
    const trained = await train({
      data,
      seed: 7,
      holdout: 0.2,
      folds: 3,
      baselines: false,
      fit,
      out: join(dir, 's'),
    });
    const scored = await scoreFile({
      model: trained.modelPath,
      input: data,
      out: join(dir, 's', 'pred.csv'),
    });
    const fitted = scored.fitted!;
    const holdout = trained.card.metrics.holdout;
    // Every fitted row is found; about 1 in 10,000 holdout rows is taken for a fitted one.
    expect(fitted.fitted).toBeGreaterThanOrEqual(trained.card.fittedRows!.rows);
    expect(fitted.fitted - trained.card.fittedRows!.rows).toBeLessThanOrEqual(2);
    expect(fitted.labelled).toBe(3000 - fitted.fitted);
    // The others are (nearly) the holdout: the model's AUC on them is (nearly) the card's.
    expect(Math.abs(fitted.auc - holdout.auc)).toBeLessThan(0.01);
    expect(scored.evaluation!.auc).toBeGreaterThan(fitted.auc);
    // Without the record beside it (model.onnx alone), no such figures.
    rmSync(join(dir, 's', 'fitted-rows.bin'));
    const alone = await scoreFile({
      model: trained.modelPath,
      input: data,
      out: join(dir, 's', 'pred2.csv'),
    });
    expect(alone.fitted).toBeNull();
  });

  it('fills every field of the model card', async () => {
    const r = await train({
      data,
      out: join(dir, 'full'),
      seed: 1,
      holdout: 0.25,
      folds: 4,
      bayesSpec: spec,
    });
    const card = JSON.parse(readFileSync(r.cardPath, 'utf8')) as ModelCard;
    const onnx = readFileSync(r.modelPath);
    expect(card.model.sha256).toBe(createHash('sha256').update(onnx).digest('hex'));
    expect(card.model.bytes).toBe(onnx.byteLength);
    expect(card.data.sha256).toBe(createHash('sha256').update(readFileSync(data)).digest('hex'));
    expect(card.data).toMatchObject({ source: 'synthetic', file: 'train.csv', rows: 3000 });
    expect(card.data.generator).toMatchObject({ kind: 'shapes', shapeSeed: 2 });
    expect(card.data.description).toMatch(/^3,000 synthetic rows .* invented \(drawn by shape seed 2\)/);
    expect(card.realData).toBeUndefined(); // no estimate for the real data from invented class differences
    expect(card.gitCommit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect(Math.abs(card.metrics.holdout.rows - 750)).toBeLessThanOrEqual(2); // rounded per class
    expect(card.metrics.holdout.share).toBe(0.25);
    expect(card.metrics.cv.aucs).toHaveLength(4);
    expect(card.metrics.bayes!.ratio).toBeCloseTo(card.metrics.holdout.auc / card.metrics.bayes!.auc, 4);
    expect(Object.keys(card.metrics.baselines!).sort()).toEqual(['gaussianNB', 'logistic']);
    expect(card.charts.roc.length).toBeGreaterThan(100);
    expect(card.charts.roc.length).toBeLessThanOrEqual(200);
    expect(card.charts.calibration).toHaveLength(10);
    expect(card.charts.thresholds.map((t) => t.share)).toEqual(
      expect.arrayContaining([0.01, 0.05, 0.1, 0.2, 0.5]),
    );
    expect(card.charts.scoreHistogram.counts).toHaveLength(50);
    expect(card.charts.scoreHistogram.counts.reduce((a, b) => a + b, 0)).toBe(card.metrics.holdout.rows);
    expect(card.features).toHaveLength(FEATURE_COUNT);
    for (const f of card.features) {
      expect(f.quantiles).toHaveLength(QUANTILE_LEVELS.length);
      expect([...f.quantiles].sort((x, y) => x - y)).toEqual(f.quantiles);
      expect(f.importance).toBeGreaterThanOrEqual(0);
    }
    expect(card.model.missingValues).toMatch(/contribute 0/);
    expect(readFileSync(r.markdownPath, 'utf8')).toMatch(/ratio to Bayes-optimal/);
  });

  it('says what realistic rows are and what to expect on the real data, in the card and its markdown', async () => {
    const rows = generate({ rows: 3000, seed: 9, kind: 'realistic' });
    const file = join(dir, 'realistic.csv');
    writeFileSync(file, rowsToCsv(rows.features, rows.targets));
    const specFile = join(dir, 'realistic-spec.json');
    writeFileSync(specFile, JSON.stringify(rows.spec));
    const fit = { lambdas: [1e2, 1e4, 1e6, 1e8] };
    const r = await train({
      data: file,
      out: join(dir, 'realistic'),
      seed: 1,
      holdout: 0.2,
      folds: 3,
      baselines: false,
      fit,
      bayesSpec: specFile,
    });
    const card = JSON.parse(readFileSync(r.cardPath, 'utf8')) as ModelCard;
    expect(card.data.generator).toEqual({
      kind: 'realistic',
      format: 'santander-synth-spec',
      version: 1,
      prior: 0.10049,
    });
    expect(card.data.description).toMatch(
      /^3,000 synthetic rows drawn from the real train\.csv's published per-class figures/,
    );
    expect(card.realData!.aucLow).toBeLessThan(card.realData!.aucHigh);
    expect(card.realData!.basis).toContain(`holdout AUC ${card.metrics.holdout.auc.toFixed(4)}`);
    expect(card.realData!.limits.join(' ')).toMatch(/value-count/);
    const markdown = readFileSync(r.markdownPath, 'utf8');
    expect(markdown).toContain(`| rows | ${card.data.description} |`);
    expect(markdown).toMatch(
      /## What to expect on the real Kaggle data \(an estimate\)\n\nExpected AUC on the real train\/test data: \*\*0\.88 to 0\.90\*\*/,
    );
    // A model trained on the real file gets no estimate: its holdout is real data.
    const kaggle = await train({
      data: file,
      out: join(dir, 'kaggle'),
      seed: 1,
      holdout: 0.2,
      folds: 3,
      baselines: false,
      fit,
      source: 'kaggle',
    });
    expect(kaggle.card.realData).toBeUndefined();
    expect(kaggle.card.data.description).toBe("3,000 rows of Kaggle's real train.csv (realistic.csv)");
  });
});
