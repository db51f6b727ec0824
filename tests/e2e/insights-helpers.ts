/** Helpers for the insights specs: the reference model in Node, and reading figures off the page. */
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { modelFromOnnx } from '../../training/onnx/export';
import { predict } from '../../src/core/model';

/** The TypeScript reference model read from the committed model.onnx. */
function referenceModel() {
  return modelFromOnnx(new Uint8Array(readFileSync(new URL('../../models/model.onnx', import.meta.url))));
}

/** Probabilities (float32) of the reference model for a Kaggle-layout CSV text, with the labels if present. */
export function referenceScores(csv: string): {
  ids: string[];
  probabilities: Float32Array;
  targets: Float32Array | null;
} {
  const [head, ...lines] = csv.trim().split('\n');
  const header = head.split(',');
  const idAt = header.indexOf('ID_code');
  const targetAt = header.indexOf('target');
  const featureAt = Array.from({ length: 200 }, (_, j) => header.indexOf(`var_${j}`));
  const features = new Float32Array(lines.length * 200);
  const targets = targetAt >= 0 ? new Float32Array(lines.length) : null;
  const ids: string[] = [];
  lines.forEach((line, i) => {
    const cells = line.split(',');
    ids.push(cells[idAt]);
    if (targets) targets[i] = Number(cells[targetAt]);
    featureAt.forEach((at, j) => (features[i * 200 + j] = Number(cells[at])));
  });
  const { probability } = predict(referenceModel(), features, lines.length, false);
  return { ids, probabilities: probability, targets };
}

/** A number in a data-value attribute. */
export async function dataValue(page: Page, testId: string): Promise<number> {
  const value = await page.getByTestId(testId).first().getAttribute('data-value');
  expect(value).not.toBeNull();
  return Number(value);
}

/** The count shown as "Customers flagged". */
export async function flaggedCount(page: Page): Promise<number> {
  return Number((await page.getByTestId('flagged-count').innerText()).replaceAll(',', ''));
}

/** Waits until the insights have ranked the file (the line's figures are shown). */
export async function waitForInsights(page: Page): Promise<void> {
  await expect(page.getByTestId('flagged-count')).toBeVisible({ timeout: 30_000 });
}
