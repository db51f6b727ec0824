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
  it('scales the first MiB’s bytes per line to the file size', () => {
    // 1 MiB sample with 700 lines (header included) of a 300 MB plain file: 1498 bytes per line.
    const rows = estimateRows(
      { lineBreaks: 700, textBytes: 1 << 20, fileBytes: 1 << 20, complete: false },
      301_419_126,
    );
    expect(rows).toBe(Math.round(301_419_126 / ((1 << 20) / 700)) - 1);
  });

  it('goes through the compression ratio for gzip', () => {
    // 1 MiB of text came from 400 KiB of the file: the 100 MB .gz holds about 256 MB of text.
    const rows = estimateRows(
      { lineBreaks: 1000, textBytes: 1 << 20, fileBytes: 400 << 10, complete: false },
      100 << 20,
    );
    expect(rows).toBe(Math.round(((100 << 20) * 2.56) / ((1 << 20) / 1000)) - 1);
  });

  it('counts a small file exactly', () => {
    expect(
      estimateRows({ lineBreaks: 51, textBytes: 70_000, fileBytes: 70_000, complete: true }, 70_000),
    ).toBe(50);
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
        `lines) need about ${((TRAINING_FIXED_BYTES + 1e6 * TRAINING_BYTES_PER_ROW) / 2 ** 30).toFixed(1)} GB of ` +
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
