import { describe, expect, it } from 'vitest';
import { FAMILIES } from './shapes';
import { buildSpec, checkSpec, referenceFigures } from './spec';

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
