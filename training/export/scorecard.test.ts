import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { predict } from '../../src/core/model';
import { FEATURE_COUNT } from '../../src/core/schema';
import { blankFarValues, farBounds } from '../../src/core/scoring/far-values';
import { generate } from '../synth/sample';
import { loadModel } from './load';
import {
  buildScorecard,
  cellShares,
  DEFAULT_SCALING,
  scorecardCsv,
  scorecardMarkdown,
  scoreWithScorecard,
} from './scorecard';

// Whatever model is committed; the expectations come from its own tables and predict().
const modelPath = new URL('../../models/model.onnx', import.meta.url).pathname;
const loaded = await loadModel(modelPath);
const { model, sql, source } = loaded;
const ROWS = 3000;
const rows = generate({ rows: ROWS, seed: 21, shapeSeed: 1, split: 'test' });
// Some missing and out-of-range values too: they must add 0 points.
for (let i = 0; i < ROWS; i += 9)
  rows.features[i * FEATURE_COUNT + ((i * 7) % FEATURE_COUNT)] = [NaN, Infinity, -1e39, 1e6][i % 4];
// The app's scores: values far outside the training range (1e6 here) count as missing before the model runs.
const scored = rows.features.slice();
blankFarValues(scored, ROWS, farBounds(loaded.card!.features)!);
const reference = predict(model, scored, ROWS);
const valuesOf = (i: number) => rows.features.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT);

describe('the scorecard', () => {
  it('reproduces the model log-odds exactly before merging (tolerance 0), from the log-odds and from the points', () => {
    const card = buildScorecard(model, sql, DEFAULT_SCALING, 0);
    // Only neighbours with equal contributions merge.
    for (const r of card.rows) expect(r.maxChange).toBe(0);
    for (let i = 0; i < ROWS; i++) {
      const s = scoreWithScorecard(card, source.names, valuesOf(i));
      expect(Math.fround(s.logOdds)).toBe(reference.logit[i]);
      expect(Math.fround((s.points - card.offset) / card.factor)).toBe(reference.logit[i]);
    }
  });

  it('stays within the stated tolerance after merging: per cell, and per customer within the sum of the per-feature bounds', () => {
    const tolerance = 0.05;
    const card = buildScorecard(model, sql, DEFAULT_SCALING, tolerance, cellShares(loaded.card, sql));
    expect(card.weighted).toBe(true);
    const ranges = card.rows.filter((r) => r.range > 0);
    expect(ranges.length).toBeLessThan(model.featureCount * model.bins * 0.2);
    for (const r of ranges) {
      const j = source.names.indexOf(r.feature);
      for (let b = r.firstCell; b <= r.lastCell; b++) {
        expect(Math.abs(model.table[j * model.bins + b] - r.logOdds)).toBeLessThanOrEqual(tolerance);
      }
    }
    const bound = card.maxChangePerFeature.reduce((a, b) => a + b, 0);
    expect(bound).toBeLessThanOrEqual(model.featureCount * tolerance);
    let meanShift = 0;
    for (let i = 0; i < ROWS; i++) {
      const d = scoreWithScorecard(card, source.names, valuesOf(i)).logOdds - reference.logit[i];
      expect(Math.abs(d)).toBeLessThanOrEqual(bound + 1e-9);
      meanShift += d / ROWS;
    }
    // Weighted by training shares, merging does not shift the average customer (the midpoint did by ~0.2 here).
    expect(Math.abs(meanShift)).toBeLessThan(0.05);
  });

  it('states its scaling: the reference score at the reference odds, and PDO points double the odds', () => {
    const scaling = { pdo: 50, referenceScore: 700, referenceOdds: 1 / 9 };
    const card = buildScorecard(model, sql, scaling, 0.02);
    expect(card.offset + card.factor * Math.log(1 / 9)).toBeCloseTo(700, 9);
    expect(card.factor * Math.log(2)).toBeCloseTo(50, 9);
    expect(card.basePoints).toBeCloseTo(card.offset + card.factor * model.intercept, 9);
    const md = scorecardMarkdown(card, source);
    expect(md).toContain('**700 points at odds 0.1111111111111111:1**');
    expect(md).toContain('**50 points double the odds** (PDO 50)');
    expect(md).toContain('at most 0.02 log-odds');
    const csv = scorecardCsv(card).split('\n');
    expect(csv[0]).toBe('feature,range,lower,upper,log_odds,points,first_cell,last_cell,max_change');
    expect(csv[1].startsWith('(base),,,,')).toBe(true);
    expect(csv[2]).toBe(`${source.names[0]},missing,,,0,0,,,0`);
  });

  it('refuses a bad scaling or tolerance', () => {
    expect(() => buildScorecard(model, sql, { ...DEFAULT_SCALING, pdo: 0 })).toThrow(/pdo/);
    expect(() => buildScorecard(model, sql, { ...DEFAULT_SCALING, referenceOdds: -1 })).toThrow(
      /reference odds/,
    );
    expect(() => buildScorecard(model, sql, DEFAULT_SCALING, -0.1)).toThrow(/tolerance/);
  });
});

describe('npm run export files', () => {
  it('the card in the CSV matches the Markdown range count', () => {
    const card = buildScorecard(model, sql, DEFAULT_SCALING, 0.1, cellShares(loaded.card, sql));
    const csvRanges = scorecardCsv(card)
      .trimEnd()
      .split('\n')
      .slice(2)
      .filter((l) => !l.includes(',missing,'));
    expect(scorecardMarkdown(card, source)).toContain(`merged into ${csvRanges.length} ranges`);
    expect(readFileSync(modelPath).length).toBeGreaterThan(0);
  });
});
