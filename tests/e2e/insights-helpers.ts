/** Helpers for the insights specs: the reference model in Node, and reading figures off the page. */
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { modelFromOnnx } from '../../src/core/onnx/export';
import { predict } from '../../src/core/model';
import { FEATURE_COUNT, mapColumns } from '../../src/core/schema';

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
  const { idIndex, targetIndex, featureIndex } = mapColumns(head.split(','));
  const features = new Float32Array(lines.length * FEATURE_COUNT);
  const targets = targetIndex >= 0 ? new Float32Array(lines.length) : null;
  const ids: string[] = [];
  lines.forEach((line, i) => {
    const cells = line.split(',');
    ids.push(cells[idIndex]);
    if (targets) targets[i] = Number(cells[targetIndex]);
    featureIndex.forEach((at, j) => (features[i * FEATURE_COUNT + j] = Number(cells[at])));
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
