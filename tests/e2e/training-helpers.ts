/** Helpers for the training specs: labelled files with a real signal, the trained model read back in Node. */
import { expect, type Download, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { zipEntries } from '../../src/core/card/model-files';
import { sha256Hex } from '../../src/core/integrity';
import { predict } from '../../src/core/model';
import type { ModelCard } from '../../src/core/model-card';
import { modelFromOnnx } from '../../src/core/onnx/export';
import { mulberry32 } from '../../src/core/random';
import { FEATURE_COUNT, FEATURE_NAMES, mapColumns } from '../../src/core/schema';
import { format4 } from '../../training/synth/format';
import { csvHeader, generate } from '../../training/synth/sample';
import { trainingLike } from '../fixtures/training-like';

/** Options of a generated labelled file. */
export interface LabelledOptions {
  rows: number;
  seed?: number;
  /** Share of rows with target 1 (default 0.15); 0 or 1 gives one class only. */
  prevalence?: number;
}

/** The standard normal CDF (Abramowitz and Stegun 26.2.17, error below 7.5e-8). */
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const poly =
    t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = Math.exp((-z * z) / 2) * 0.3989422804014327 * poly;
  return z >= 0 ? 1 - tail : tail;
}

/**
 * A train.csv whose target a model can learn: 40 of the 200 features are shifted by 0.35 standard deviations
 * for target 1 (up or down), the rest are noise; values with 4 decimals like Kaggle's. About 0.9 AUC at best.
 * Each value is a normal draw carried onto the feature's training distribution in the built-in model's card
 * (its quantile function), so the built-in model scores the file as data (far-values.ts).
 */
export function labelledCsv({ rows, seed = 1, prevalence = 0.15 }: LabelledOptions): string {
  const random = mulberry32(seed);
  const normal = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const lines = [['ID_code', 'target', ...FEATURE_NAMES].join(',')];
  for (let i = 0; i < rows; i++) {
    const y = random() < prevalence ? 1 : 0;
    const cells = [`train_${i}`, String(y)];
    for (let j = 0; j < FEATURE_COUNT; j++) {
      const shift = j < 40 && y === 1 ? (j % 2 === 0 ? 0.35 : -0.35) : 0;
      const level = Math.min(1 - 1e-6, Math.max(1e-6, normalCdf(normal() + shift)));
      cells.push(trainingLike(j, level).toFixed(4));
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A train.csv of `rows` rows drawn from the generator the built-in model was trained on (realistic: the real
 * train.csv's per-class figures), with its targets and features as the app's reader gives them (float32 of the
 * 4-decimal values). A few thousand rows train a model well short of the built-in one, fitted on 160,000.
 */
export function realisticCsv(rows: number, seed: number) {
  const g = generate({ rows, seed, kind: 'realistic' });
  const lines = [csvHeader('train')];
  for (let r = 0; r < rows; r++) {
    const cells = [g.ids[r], String(g.targets[r])];
    for (let j = 0; j < FEATURE_COUNT; j++) cells.push(format4(g.features[r * FEATURE_COUNT + j]));
    lines.push(cells.join(','));
  }
  return { csv: `${lines.join('\n')}\n`, features: g.features, targets: g.targets };
}

/** A model as downloaded: its files and what they hold. */
export interface DownloadedModel {
  name: string;
  zip: Buffer;
  onnx: Uint8Array;
  card: ModelCard;
  markdown: string;
  onnxSha256: string;
  /** fitted-rows.bin, when the model has one. */
  fittedRows?: Uint8Array;
}

/** Clicks "Download model" and reads the archive. */
export async function downloadModel(page: Page): Promise<DownloadedModel> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-model').click(),
  ]);
  return readModelDownload(download);
}

async function readModelDownload(download: Download): Promise<DownloadedModel> {
  const zip = await readFile(await download.path());
  const entries = await zipEntries(new Blob([zip]));
  const text = (name: string) => new TextDecoder().decode(entries.get(name)?.bytes);
  const card = JSON.parse(text('model-card.json')) as ModelCard;
  // fitted-rows.bin when the card describes one (a model trained here), checked against the card.
  expect([...entries.keys()]).toEqual([
    'model.onnx',
    'model-card.json',
    'model-card.md',
    ...(card.fittedRows ? ['fitted-rows.bin'] : []),
  ]);
  const fittedRows = entries.get('fitted-rows.bin')?.bytes;
  if (card.fittedRows) expect(await sha256Hex(fittedRows!)).toBe(card.fittedRows.sha256);
  const onnx = entries.get('model.onnx')!.bytes;
  return {
    name: download.suggestedFilename(),
    zip,
    onnx,
    card,
    markdown: text('model-card.md'),
    onnxSha256: await sha256Hex(onnx),
    fittedRows,
  };
}

/** Probabilities of a model file (the TypeScript reference) for a Kaggle-layout CSV text. */
export function scoresOf(onnx: Uint8Array, csv: string): Float32Array {
  const [head, ...lines] = csv.trim().split('\n');
  const { featureIndex } = mapColumns(head.split(','));
  const features = new Float32Array(lines.length * FEATURE_COUNT);
  lines.forEach((line, i) => {
    const cells = line.split(',');
    featureIndex.forEach((at, j) => (features[i * FEATURE_COUNT + j] = Number(cells[at])));
  });
  return predict(modelFromOnnx(onnx), features, lines.length, false).probability;
}

/** Picks a file through the model section's "Train a model on a labelled file…". */
export async function pickTrainingFile(
  page: Page,
  name: string,
  content: string | Uint8Array,
): Promise<void> {
  const mimeType = typeof content === 'string' ? 'text/csv' : 'application/octet-stream';
  await page.getByTestId('train-input').setInputFiles({ name, mimeType, buffer: Buffer.from(content) });
}

/** The model section's radio for a model. */
export function modelRadio(page: Page, which: 'Your model' | 'Built-in model') {
  return page.getByTestId('model-choice').getByRole('radio', { name: new RegExp(`^${which}`) });
}
