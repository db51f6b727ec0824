/**
 * A small stand-in generator for tests: features independent given the target, with location shifts, scale
 * changes, narrow bumps and two-mode shapes, and the exact Bayes log-odds. The project's full generator lives
 * in training/synth; this one keeps model tests independent of its tuning.
 */
import { FEATURE_COUNT } from '../../src/core/schema';
import { mulberry32 } from '../fit/random';

function normal(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

interface Component {
  weight: number;
  mean: number;
  sd: number;
}
interface FeatureShape {
  negative: Component[];
  positive: Component[];
}

function logPdf(x: number, mix: Component[]): number {
  let p = 0;
  for (const c of mix) p += (c.weight / (c.sd * Math.sqrt(2 * Math.PI))) * Math.exp(-0.5 * ((x - c.mean) / c.sd) ** 2);
  return Math.log(p);
}

function draw(mix: Component[], rand: () => number): number {
  let u = rand();
  for (const c of mix) {
    if (u < c.weight) return c.mean + c.sd * normal(rand);
    u -= c.weight;
  }
  const c = mix[mix.length - 1];
  return c.mean + c.sd * normal(rand);
}

function shapes(shapeSeed: number, features: number): FeatureShape[] {
  const rand = mulberry32(shapeSeed * 7919 + 13);
  return Array.from({ length: features }, (_, j) => {
    const mean = (rand() - 0.5) * 20;
    const sd = 1 + rand() * 8;
    const effect = 0.05 + rand() * 0.2;
    const negative = [{ weight: 1, mean, sd }];
    switch (j % 4) {
      case 0: // location shift
        return { negative, positive: [{ weight: 1, mean: mean + effect * sd, sd }] };
      case 1: // scale change
        return { negative, positive: [{ weight: 1, mean, sd: sd * (1 + effect) }] };
      case 2: // narrow bump
        return {
          negative,
          positive: [
            { weight: 1 - effect / 2, mean, sd },
            { weight: effect / 2, mean: mean + (rand() - 0.5) * 2 * sd, sd: sd * 0.05 },
          ],
        };
      default: // two modes
        return {
          negative,
          positive: [
            { weight: 0.5, mean: mean - effect * sd, sd: sd * 0.9 },
            { weight: 0.5, mean: mean + effect * sd * 1.5, sd: sd * 0.9 },
          ],
        };
    }
  });
}

/** Rows from the stand-in generator, with the true (Bayes-optimal) log-odds of each row. */
export interface MiniSynth {
  rows: number;
  features: Float32Array;
  targets: Uint8Array;
  bayesLogOdds: Float64Array;
}

/** Draws `rows` rows with ~10% positives; values rounded to 4 decimals like the Kaggle file. */
export function miniSynth(rows: number, seed: number, shapeSeed = 1, features = FEATURE_COUNT): MiniSynth {
  const shape = shapes(shapeSeed, features);
  const rand = mulberry32(seed);
  const prior = 0.1005;
  const x = new Float32Array(rows * features);
  const targets = new Uint8Array(rows);
  const bayes = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const y = rand() < prior ? 1 : 0;
    targets[i] = y;
    let z = Math.log(prior / (1 - prior));
    for (let j = 0; j < features; j++) {
      const v = Math.round(draw(y ? shape[j].positive : shape[j].negative, rand) * 1e4) / 1e4;
      x[i * features + j] = v;
      z += logPdf(v, shape[j].positive) - logPdf(v, shape[j].negative);
    }
    bayes[i] = z;
  }
  return { rows, features: x, targets, bayesLogOdds: bayes };
}

/** Writes rows as a Kaggle-format CSV string (train layout when withTarget). */
export function toCsv(data: MiniSynth, withTarget: boolean, features = FEATURE_COUNT): string {
  const header = ['ID_code', ...(withTarget ? ['target'] : []), ...Array.from({ length: features }, (_, j) => `var_${j}`)];
  const lines = [header.join(',')];
  for (let i = 0; i < data.rows; i++) {
    const cells = [`${withTarget ? 'train' : 'test'}_${i}`, ...(withTarget ? [String(data.targets[i])] : [])];
    for (let j = 0; j < features; j++) cells.push(data.features[i * features + j].toFixed(4));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
