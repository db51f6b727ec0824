import { describe, expect, it } from 'vitest';
import {
  estimateRows,
  memoryBudget,
  memoryRefusal,
  TRAINING_BYTES_PER_ROW,
  TRAINING_FIXED_BYTES,
  trainingBytes,
} from './memory';

describe('estimateRows', () => {
  it('scales the first rows’ share of the file’s bytes to its size', () => {
    // 8,192 rows took 12.4 MB of a 301 MB file: about 199,000 rows.
    expect(estimateRows({ rows: 8192, fileBytes: 12_400_000 }, 301_419_126)).toBe(
      Math.round((8192 * 301_419_126) / 12_400_000),
    );
  });

  it('counts packed bytes for a packed file, so the compression ratio is in the estimate', () => {
    // 8,192 rows came from 5 MB of a 120 MB .gz: about 197,000 rows.
    expect(estimateRows({ rows: 8192, fileBytes: 5_000_000 }, 120_000_000)).toBe(196_608);
  });

  it('gives 0 for an empty sample', () => {
    expect(estimateRows({ rows: 0, fileBytes: 0 }, 1000)).toBe(0);
  });
});

describe('memory budget and refusal', () => {
  it('allows a quarter of the device, 4 GB assumed when the browser does not say, at most 4 GB', () => {
    expect(memoryBudget(8)).toEqual({ bytes: 2 * 2 ** 30, deviceGb: 8 });
    expect(memoryBudget(undefined)).toEqual({ bytes: 2 ** 30, deviceGb: 4 });
    expect(memoryBudget(64).bytes).toBe(4 * 2 ** 30);
  });

  it('lets the full-size Kaggle-like file through on a 4 GB device', () => {
    expect(trainingBytes(200_000)).toBeLessThan(memoryBudget(4).bytes);
    expect(memoryRefusal(200_000, memoryBudget(4), true)).toBeNull();
  });

  it('refuses a file too large with the estimate, the budget, where it comes from and what would fit', () => {
    const budget = memoryBudget(2);
    const message = memoryRefusal(1_000_000, budget, true)!;
    const fits = Math.floor((budget.bytes - TRAINING_FIXED_BYTES) / TRAINING_BYTES_PER_ROW);
    expect(message).toBe(
      `Too large to train on this device: about 1,000,000 rows (estimated from the file's size and its first ` +
        `rows) need about ${((TRAINING_FIXED_BYTES + 1e6 * TRAINING_BYTES_PER_ROW) / 2 ** 30).toFixed(1)} GB of ` +
        `memory while training (${TRAINING_BYTES_PER_ROW.toLocaleString('en-US')} bytes per row), and training ` +
        `may use 0.5 GB (a quarter of this device's 2 GB). Use a file of at most about ` +
        `${fits.toLocaleString('en-US')} rows, or train it with \`npm run train\`.`,
    );
    expect(memoryRefusal(fits, budget, true)).toBeNull();
    expect(memoryRefusal(fits + 1, budget, true)).not.toBeNull();
    expect(memoryRefusal(10_000_000, memoryBudget(undefined), false)).toMatch(
      /a quarter of 4 GB, assumed because this browser does not say how much memory the device has/,
    );
  });
});
