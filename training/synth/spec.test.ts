import { describe, expect, it } from 'vitest';
import { FAMILIES } from './shapes';
import { buildRealisticSpec, buildSpec, checkSpec, referenceFigures } from './spec';

describe('buildSpec', () => {
  const one = buildSpec(1);
  const two = buildSpec(2);

  it('draws every family, with a real class difference, for each shapeSeed', () => {
    for (const spec of [one, two]) {
      for (const family of FAMILIES) {
        const used = spec.features.filter((f) => f.family === family && f.strength > 0);
        expect(used.length, family).toBeGreaterThanOrEqual(5);
      }
    }
  });

  it('draws different shapes for a different shapeSeed, from the same figures', () => {
    const sameFamily = one.features.filter((f, j) => f.family === two.features[j].family).length;
    expect(sameFamily).toBeLessThan(120);
    expect(JSON.stringify(one.features[0].class1)).not.toBe(JSON.stringify(two.features[0].class1));
    expect(buildSpec(1)).toBe(one); // memoised: the build is deterministic and costs a second
  });

  it('reaches each feature single-feature AUC target, near the real one', () => {
    one.features.forEach((f, j) => {
      expect(Math.abs(f.auc - f.targetAuc), f.name).toBeLessThan(0.001);
      const real = referenceFigures.features[j].auc;
      expect(f.auc, f.name).toBeGreaterThanOrEqual(0.5);
      expect(Math.abs(f.auc - Math.max(real, 0.5)), f.name).toBeLessThan(0.012);
    });
  });

  it('survives a JSON round trip and refuses a broken spec', () => {
    expect(checkSpec(JSON.parse(JSON.stringify(one)))).toEqual(one);
    const broken = JSON.parse(JSON.stringify(one));
    broken.features[3].class1.weights[0] = -1;
    expect(() => checkSpec(broken)).toThrow(/var_3\.class1/);
    expect(() => checkSpec({ format: 'other' })).toThrow(/santander-synth-spec/);
    expect(() => buildSpec(-1)).toThrow(/shapeSeed/);
  });
});

describe('checkSpec', () => {
  it('reads both kinds back, and a spec.json written before kinds existed as shapes', () => {
    const realistic = buildRealisticSpec();
    expect(checkSpec(JSON.parse(JSON.stringify(realistic)))).toEqual(realistic);
    expect(realistic.prior).toBe(0.10049);
    const old = JSON.parse(JSON.stringify(buildSpec(1)));
    delete old.kind;
    expect(checkSpec(old).kind).toBe('shapes');
  });

  it('refuses an unknown kind and a piecewise density that is not one', () => {
    const spec = () => JSON.parse(JSON.stringify(buildRealisticSpec()));
    expect(() => checkSpec({ ...spec(), kind: 'gaussian' })).toThrow(/unknown kind gaussian/);
    const unsorted = spec();
    unsorted.features[5].class1.breaks.reverse();
    expect(() => checkSpec(unsorted)).toThrow(/var_5\.class1: breaks must ascend/);
    const missing = spec();
    missing.features[6].class1.factors.pop();
    expect(() => checkSpec(missing)).toThrow(/var_6\.class1: breaks must ascend and factors/);
    const unnormalised = spec();
    unnormalised.features[7].class1.factors[1] *= 1.01;
    expect(() => checkSpec(unnormalised)).toThrow(/var_7\.class1: the piecewise density integrates to 1\.0/);
  });
});
