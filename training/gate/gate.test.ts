import { describe, expect, it } from 'vitest';
import { cardProblems, checkCard } from '../../src/core/card/card-check';
import { runGate } from './gate';
import { addToRegistry, emptyRegistry, type Registry } from './registry';
import { fakeSha, makeCard } from './test-cards';

/** A card as it would come out of JSON.parse, so fields can be broken freely. */
const asJson = (card: object): Record<string, unknown> => JSON.parse(JSON.stringify(card));

function registryOf(...cards: ReturnType<typeof makeCard>[]): Registry {
  return cards.reduce((r, c) => addToRegistry(r, c).registry, emptyRegistry());
}

describe('cardProblems', () => {
  it('accepts a complete card', () => {
    expect(cardProblems(makeCard())).toEqual([]);
  });

  it('names a non-finite metric (NaN and Infinity become null in JSON)', () => {
    const card = makeCard({ auc: Number.NaN });
    const problems = cardProblems(asJson(card));
    expect(problems.join('\n')).toMatch(/metrics\.holdout\.auc is non-finite/);
    const inf = asJson(makeCard());
    (inf.metrics as { cv: { aucs: unknown[] } }).cv.aucs[2] = 'Infinity';
    expect(cardProblems(inf).join('\n')).toMatch(/metrics\.cv\.aucs\[2\] is non-finite/);
  });

  it('names missing sections, bad digests, out-of-range AUCs and unsafe versions', () => {
    const card = asJson(makeCard({ auc: 1.2, version: '../etc' }));
    delete card.data;
    const text = cardProblems(card).join('\n');
    expect(text).toMatch(/data\.source missing/);
    expect(text).toMatch(/data\.sha256 missing is not a SHA-256/);
    expect(text).toMatch(/metrics\.holdout\.auc = 1\.2 is outside \[0, 1\]/);
    expect(text).toMatch(/version "\.\.\/etc"/);
    expect(cardProblems([1, 2])).toEqual(['not a JSON object ([1,2])']);
  });

  it('checkCard throws with the label and every problem', () => {
    const card = asJson(makeCard({ modelSha: 'xyz' }));
    expect(() => checkCard(card, 'candidate.json')).toThrow(
      /candidate\.json is malformed: model\.sha256 "xyz"/,
    );
  });
});

describe('runGate', () => {
  const baseline = makeCard({ auc: 0.9, version: 'base', modelSha: fakeSha('b') });

  it('passes a candidate within the tolerance and names what it compared with', () => {
    const r = runGate({ candidate: makeCard({ auc: 0.899 }), baseline, tolerance: 0.002 });
    expect(r).toMatchObject({ pass: true, reasons: [], baseline: { label: 'baseline card base', auc: 0.9 } });
  });

  it('passes a drop of exactly the tolerance and stops one just beyond it', () => {
    expect(runGate({ candidate: makeCard({ auc: 0.898 }), baseline, tolerance: 0.002 }).pass).toBe(true);
    const r = runGate({ candidate: makeCard({ auc: 0.8979 }), baseline, tolerance: 0.002 });
    expect(r.pass).toBe(false);
    expect(r.reasons).toEqual([
      "candidate holdout AUC 0.8979 is worse than baseline card base's 0.9000 by 0.0021, more than the tolerance 0.002",
    ]);
  });

  it('uses 0.002 when no tolerance is given', () => {
    expect(runGate({ candidate: makeCard({ auc: 0.8985 }), baseline }).pass).toBe(true);
    expect(runGate({ candidate: makeCard({ auc: 0.897 }), baseline }).pass).toBe(false);
  });

  it('refuses a negative or non-finite tolerance', () => {
    expect(runGate({ candidate: makeCard(), baseline, tolerance: -1 }).reasons[0]).toMatch(/tolerance -1/);
    expect(runGate({ candidate: makeCard(), baseline, tolerance: Number.NaN }).pass).toBe(false);
  });

  it('stops a malformed candidate or baseline, naming which', () => {
    const broken = asJson(makeCard());
    (broken.metrics as { holdout: { auc: unknown } }).holdout.auc = null;
    const r1 = runGate({ candidate: broken, baseline });
    expect(r1.pass).toBe(false);
    expect(r1.reasons[0]).toMatch(/^candidate card is malformed: metrics\.holdout\.auc is non-finite/);
    const r2 = runGate({ candidate: makeCard(), baseline: 'not a card' });
    expect(r2.reasons[0]).toMatch(/^baseline card is malformed/);
  });

  it('stops a model no better than chance even without a baseline', () => {
    const r = runGate({ candidate: makeCard({ auc: 0.5 }), baseline: null });
    expect(r.pass).toBe(false);
    expect(r.reasons[0]).toMatch(/no better than chance/);
  });

  it('passes the first model with a note', () => {
    const r = runGate({ candidate: makeCard(), baseline: null });
    expect(r.pass).toBe(true);
    expect(r.notes).toContain('no baseline card: the AUC is not compared (first model)');
  });

  it('stops a card that does not describe the model file on disk', () => {
    const r = runGate({ candidate: makeCard({ auc: 0.95 }), baseline, candidateModelSha256: fakeSha('f') });
    expect(r.pass).toBe(false);
    expect(r.reasons[0]).toMatch(/describes model aaaaaaaaaaaa\.\.\. but the model file is ffffffffffff/);
    expect(runGate({ candidate: makeCard(), baseline, candidateModelSha256: fakeSha('a') }).pass).toBe(true);
  });

  it('notes a different data file of the same source', () => {
    const r = runGate({ candidate: makeCard({ dataSha: fakeSha('e') }), baseline });
    expect(r.pass).toBe(true);
    expect(r.notes.join('\n')).toMatch(/different data file/);
  });

  describe('different data sources', () => {
    const kaggleBaseline = makeCard({ source: 'kaggle', auc: 0.92, version: 'k1', modelSha: fakeSha('c') });

    it('gates a kaggle candidate against the registry’s last kaggle entry, not a synthetic baseline', () => {
      const registry = registryOf(
        makeCard({ source: 'kaggle', auc: 0.8, version: 'k0', modelSha: fakeSha('0') }),
        makeCard({ source: 'kaggle', auc: 0.91, version: 'k1', modelSha: fakeSha('1') }),
        baseline,
      );
      // 0.905 would pass against the synthetic baseline (0.90) but loses 0.005 to the last kaggle model.
      const r = runGate({ candidate: makeCard({ source: 'kaggle', auc: 0.905 }), baseline, registry });
      expect(r.pass).toBe(false);
      expect(r.reasons[0]).toMatch(/worse than registry entry k1's 0\.9100/);
      const ok = runGate({ candidate: makeCard({ source: 'kaggle', auc: 0.909 }), baseline, registry });
      expect(ok).toMatchObject({ pass: true, baseline: { label: 'registry entry k1' } });
    });

    it('passes the first kaggle candidate with a note when the registry has none', () => {
      const r = runGate({
        candidate: makeCard({ source: 'kaggle', auc: 0.7 }),
        baseline,
        registry: registryOf(baseline),
      });
      expect(r.pass).toBe(true);
      expect(r.baseline).toBeUndefined();
      expect(r.notes.join('\n')).toMatch(/registry has no kaggle model: first kaggle model/);
    });

    it('stops a synthetic candidate that would replace a kaggle-trained model', () => {
      const r = runGate({ candidate: makeCard({ auc: 0.99 }), baseline: kaggleBaseline });
      expect(r.pass).toBe(false);
      expect(r.reasons[0]).toMatch(
        /trained on synthetic shapes data and would replace a model trained on the real Kaggle/,
      );
      const realistic = runGate({ candidate: makeCard({ kind: 'realistic' }), baseline: kaggleBaseline });
      expect(realistic.reasons[0]).toMatch(
        /synthetic realistic data and would replace .* real Kaggle data \(k1\)/,
      );
      expect(runGate({ candidate: makeCard({ source: 'other' }), baseline: kaggleBaseline }).pass).toBe(
        false,
      );
    });
  });

  describe('synthetic kinds: realistic outranks shapes', () => {
    const shapes = makeCard({ auc: 0.9088, version: 's1', modelSha: fakeSha('5') }); // a card from before kinds
    const realistic = makeCard({ kind: 'realistic', auc: 0.8885, version: 'r1', modelSha: fakeSha('6') });

    it('passes the first realistic model over a shapes one with a note, whatever the AUC gap', () => {
      const r = runGate({ candidate: realistic, baseline: shapes, registry: registryOf(shapes) });
      expect(r).toMatchObject({ pass: true, baseline: undefined });
      expect(r.notes.join('\n')).toMatch(
        /baseline card was trained on synthetic shapes data and the registry has no synthetic realistic model/,
      );
    });

    it('compares a realistic model over a shapes one with the last realistic model in the registry', () => {
      const registry = registryOf(realistic, shapes);
      const worse = makeCard({ kind: 'realistic', auc: 0.885, dataSha: fakeSha('e') });
      const r = runGate({ candidate: worse, baseline: shapes, registry });
      expect(r.pass).toBe(false);
      expect(r.reasons[0]).toMatch(/worse than registry entry r1's 0\.8885/);
      expect(
        runGate({ candidate: makeCard({ kind: 'realistic', auc: 0.888 }), baseline: shapes, registry }).pass,
      ).toBe(true);
    });

    it('stops a shapes model that would replace a realistic one, old cards without a kind included', () => {
      for (const candidate of [makeCard({ auc: 0.95 }), makeCard({ kind: 'shapes', auc: 0.95 })]) {
        const r = runGate({ candidate, baseline: realistic });
        expect(r.pass).toBe(false);
        expect(r.reasons[0]).toBe(
          'candidate was trained on synthetic shapes data and would replace a model trained on synthetic ' +
            'realistic data, which carries the real per-class figures (r1); train on the realistic kind ' +
            '(npm run data -- --kind realistic) or on Kaggle data',
        );
      }
    });

    it('compares realistic with realistic as before, and leaves other files unranked against them', () => {
      const r = runGate({ candidate: makeCard({ kind: 'realistic', auc: 0.8884 }), baseline: realistic });
      expect(r).toMatchObject({
        pass: true,
        baseline: { label: 'baseline card r1', source: 'synthetic realistic' },
      });
      const other = runGate({ candidate: makeCard({ source: 'other', auc: 0.7 }), baseline: realistic });
      expect(other.pass).toBe(true);
      expect(other.notes.join('\n')).toMatch(/registry has no other model/);
    });

    it('refuses a card naming an unknown generator kind', () => {
      const card = asJson(realistic);
      (card.data as { generator: { kind: string } }).generator.kind = 'gaussian';
      expect(cardProblems(card).join('\n')).toMatch(
        /data\.generator\.kind "gaussian" is not one of realistic, shapes/,
      );
    });
  });
});
