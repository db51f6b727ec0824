/** Shared helpers for the browser specs: small generated CSV files and the app's common steps. */
import { expect, type Download, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { QUANTILE_LEVELS } from '../../src/core/model-card';
import { mulberry32 as rng } from '../../src/core/random';
import { FEATURE_NAMES } from '../../src/core/schema';
import { builtInCard as card, trainingLike } from '../fixtures/training-like';

/** One standard deviation of feature j if it were normal: its 10%-90% quantile span over 2.5631. */
function oneStd(j: number): number {
  const q = card.features[j].quantiles;
  return (q[QUANTILE_LEVELS.indexOf(0.9)] - q[QUANTILE_LEVELS.indexOf(0.1)]) / 2.5631;
}

/** Options for a generated file. */
export interface CsvOptions {
  rows: number;
  seed?: number;
  /** Add a target column (about 10% positives). */
  target?: boolean;
  idPrefix?: string;
  /** Header order: the default Kaggle order, or reversed (columns are matched by name). */
  reversed?: boolean;
  /** An extra column the model does not use. */
  extra?: boolean;
  /** Features (by index) moved up by one standard deviation, as drift the app must name. */
  shift?: number[];
}

/** A CSV in Kaggle's layout with 4-decimal values spread like the training data (per the model card). */
export function makeCsv(options: CsvOptions): string {
  const random = rng(options.seed ?? 1);
  const prefix = options.idPrefix ?? 'test';
  let columns = [
    'ID_code',
    ...(options.target ? ['target'] : []),
    ...FEATURE_NAMES,
    ...(options.extra ? ['note'] : []),
  ];
  if (options.reversed) columns = columns.reverse();
  const lines = [columns.join(',')];
  for (let i = 0; i < options.rows; i++) {
    const cells = columns.map((c) => {
      if (c === 'ID_code') return `${prefix}_${i}`;
      if (c === 'target') return random() < 0.1 ? '1' : '0';
      if (c === 'note') return 'x';
      const j = Number(c.slice(4));
      const x = trainingLike(j, random());
      return (options.shift?.includes(j) ? x + oneStd(j) : x).toFixed(4);
    });
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Waits until the model is loaded and the app can score. */
export async function expectReady(page: Page): Promise<void> {
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
}

/** Opens the app and waits until the model is loaded. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('./');
  await expectReady(page);
}

/** Once the app is ready again (after a crash, a refusal, a cancel), a small good file scores in full. */
export async function expectNextFileScores(
  page: Page,
  name: string,
  rows: number,
  seed: number,
): Promise<void> {
  await expectReady(page);
  await pickFile(page, name, makeCsv({ rows, seed }));
  await expect(page.getByRole('heading', { name: `Results for ${name}` })).toBeVisible();
  await expect(page.getByTestId('rows-scored')).toHaveText(rows.toLocaleString('en-US'));
}

/** Picks a file through the labelled file input. */
export async function pickFile(page: Page, name: string, content: string | Uint8Array): Promise<void> {
  await page.getByLabel('Customer file').setInputFiles({
    name,
    mimeType: name.endsWith('.gz') ? 'application/gzip' : 'text/csv',
    buffer:
      typeof content === 'string'
        ? Buffer.from(content)
        : Buffer.from(content.buffer, content.byteOffset, content.byteLength),
  });
}

/**
 * Picks a large CSV built in the page: the header of `block`, then its rows `copies` times (one string
 * referenced many times, so a big File costs no big upload).
 */
export async function pickLargeCsv(page: Page, name: string, block: string, copies: number): Promise<void> {
  await page.evaluate(
    ({ block, name, copies }) => {
      const [header, ...rest] = block.split('\n');
      const body = rest.join('\n');
      const file = new File([`${header}\n`, ...Array.from({ length: copies }, () => body)], name, {
        type: 'text/csv',
      });
      const input = document.querySelector<HTMLInputElement>('#file-input')!;
      const data = new DataTransfer();
      data.items.add(file);
      input.files = data.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    { block, name, copies },
  );
}

/** Parsed predictions.csv. */
export interface Predictions {
  header: string;
  ids: string[];
  scores: number[];
}

/** Clicks "Download predictions.csv" and parses the file. */
export async function downloadPredictions(page: Page): Promise<Predictions> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  return parsePredictions(await readDownload(download));
}

/** The text of a download. */
export async function readDownload(download: Download): Promise<string> {
  return readFile(await download.path(), 'utf8');
}

/** Splits predictions.csv into its header, ids and scores. */
function parsePredictions(text: string): Predictions {
  const lines = text.split('\n');
  expect(lines.at(-1)).toBe(''); // ends with a newline
  const [header, ...rows] = lines.slice(0, -1);
  const ids: string[] = [];
  const scores: number[] = [];
  for (const line of rows) {
    const at = line.lastIndexOf(',');
    ids.push(line.slice(0, at));
    scores.push(Number(line.slice(at + 1)));
  }
  return { header, ids, scores };
}

/** Every score is a probability. */
export function expectProbabilities(scores: number[]): void {
  expect(scores.every((s) => Number.isFinite(s) && s >= 0 && s <= 1)).toBe(true);
  // A real model spreads its scores: a constant column would mean the features were not read.
  expect(new Set(scores).size).toBeGreaterThan(Math.min(10, scores.length / 2));
}
