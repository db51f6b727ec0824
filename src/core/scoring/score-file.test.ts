import { describe, expect, it } from 'vitest';
import { FittedRows } from '../fit/fitted-rows';
import { unpackIds } from '../ids';
import { auc } from '../metrics';
import { QUANTILE_LEVELS } from '../model-card';
import { mulberry32 } from '../random';
import { FEATURE_COUNT, FEATURE_NAMES } from '../schema';
import { localSource } from './pipeline';
import { PREDICTIONS_HEADER_LINE } from './predictions-csv';
import { scoreFile } from './score-file';
import { evaluateLabels } from '../insights/evaluate';
import { rankScores } from '../insights/cut-line';

// A stand-in model: the probability is a squashed var_0, contributions are the features themselves.
async function run(features: Float32Array, rows: number): Promise<Float32Array> {
  const p = new Float32Array(rows);
  for (let i = 0; i < rows; i++) p[i] = 1 / (1 + Math.exp(-features[i * FEATURE_COUNT]));
  return p;
}
async function explain(features: Float32Array): Promise<Float32Array> {
  return features.slice();
}

function csv(rows: number, options: { target?: boolean; bad?: boolean } = {}): string {
  const header = ['ID_code', ...(options.target ? ['target'] : []), ...FEATURE_NAMES].join(',');
  const lines = [header];
  for (let i = 0; i < rows; i++) {
    const cells = [`id${i}`];
    if (options.target) cells.push(i % 7 === 0 ? '1' : '0');
    for (let j = 0; j < FEATURE_COUNT; j++) cells.push(((((i * 31 + j * 17) % 97) - 48) / 10).toFixed(4));
    if (options.bad && i === 5) cells[3] = 'oops';
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The file's bytes in chunks of awkward sizes, as a stream would deliver them. */
function opener(text: string, chunk = 1000): () => AsyncIterable<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return async function* () {
    for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
  };
}

const decoder = new TextDecoder();

describe('scoreFile', () => {
  it('hands predictions.csv out in chunks of whole lines that join to the same file', async () => {
    const whole: string[] = [];
    const chunks: string[] = [];
    for (const [out, linesChunk] of [
      [whole, undefined],
      [chunks, 500],
    ] as const) {
      await scoreFile({
        source: localSource(opener(csv(1000)), { batchRows: 64 }),
        run,
        explain,
        linesChunk,
        onLines: (lines) => out.push(decoder.decode(lines)),
      });
    }
    expect(whole).toHaveLength(1);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.join('')).toBe(whole[0]);
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(500);
  });

  it('scores every row once, in order, and writes the matching predictions', async () => {
    let text = '';
    const progress: number[] = [];
    const result = await scoreFile({
      source: localSource(opener(csv(1000)), { batchRows: 64 }),
      run,
      explain,
      topCount: 10,
      onLines: (lines) => (text += decoder.decode(lines)),
      onProgress: (rows) => progress.push(rows),
    });
    expect(result.rows).toBe(1000);
    expect(unpackIds(result.ids)).toEqual(Array.from({ length: 1000 }, (_, i) => `id${i}`));
    const lines = (PREDICTIONS_HEADER_LINE + text).trim().split('\n');
    expect(lines[0]).toBe('ID_code,target');
    expect(lines).toHaveLength(1001);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(unpackIds(result.ids));
    lines.slice(1).forEach((l, i) => expect(Number(l.split(',')[1])).toBeCloseTo(result.probabilities[i], 5));
    expect(progress.at(-1)).toBe(1000);
    expect(result.top).toHaveLength(10);
    // The top rows carry their own contributions (here: their features).
    for (const e of result.top) expect([...e.contributions]).toEqual([...e.features]);
    expect(result.summary.expectedTransactions).toBeCloseTo(
      result.probabilities.reduce((a, b) => a + b, 0),
      3,
    );
    expect(result.evaluation).toBeNull();
    expect(result.issues.total).toBe(0);
    expect(result.affectedRowsCsv).toEqual([]);
  });

  it('evaluates on the labels and reports bad cells with their row, scoring every row', async () => {
    const result = await scoreFile({
      source: localSource(opener(csv(300, { target: true, bad: true }), 777), { batchRows: 50 }),
      run,
      explain,
      onLines: () => {},
    });
    expect(result.rows).toBe(300);
    expect(result.evaluation!.labelled).toBe(300);
    expect(result.evaluation!.auc).toBeCloseTo(auc(result.probabilities, result.targets!), 12);
    expect(result.issues.total).toBe(1);
    expect(result.issues.examples[0]).toMatchObject({ row: 6, column: 'var_1', kind: 'non-numeric' });
    expect(result.affectedRowsCsv.join('')).toContain('6,id5,var_1,non-numeric,oops');
  });

  it('scores values far outside the training range as missing, lists them, and refuses a column made of them', async () => {
    // Trained on [-4.8, 4.8] for every feature: beyond -14.4 or 14.4 a value is taken for an error.
    const driftFeatures = FEATURE_NAMES.map((name) => ({
      name,
      quantiles: QUANTILE_LEVELS.map((l) => -4.8 + 9.6 * l),
    }));
    const lines = csv(40).split('\n');
    const unit = lines[8].split(',');
    // Row 8 in units 100 times too small: every value x100 (the few zeros stay in range).
    lines[8] = [unit[0], ...unit.slice(1).map((v) => (Number(v) * 100).toFixed(2))].join(',');
    const blanked = lines[3].split(',');
    blanked[1] = '';
    lines[3] = blanked.join(',');
    const typo = lines[3].split(',');
    typo[1] = '1e6';
    lines[4] = [typo[0].replace('2', '3x'), ...typo.slice(1)].join(',');
    // The stand-in model, with a missing var_0 neutral as the real model's missing values are.
    const neutral: typeof run = async (features, rows) => {
      const p = new Float32Array(rows);
      for (let i = 0; i < rows; i++) p[i] = 1 / (1 + Math.exp(-(features[i * FEATURE_COUNT] || 0)));
      return p;
    };
    const result = await scoreFile({
      source: localSource(opener(lines.join('\n'), 333), { batchRows: 16 }),
      run: neutral,
      explain,
      driftFeatures,
      onLines: () => {},
    });
    expect(result.rows).toBe(40);
    const far = result.issues.byKind['far-outside'];
    const farInRow8 = unit.slice(1).filter((v) => Math.abs(Number(v) * 100) > 14.4).length;
    expect(far).toBe(farInRow8 + 1);
    expect(result.affectedRowsCsv.join('')).toContain('4,id3x,var_0,far-outside,1000000');
    // The typo scores as the same row with that cell empty (the stand-in model reads var_0 only).
    expect(result.probabilities[2]).toBe(0.5);
    expect(result.probabilities[3]).toBe(0.5);
    expect(Math.abs(Number(unit[1]) * 100)).toBeGreaterThan(14.4);
    expect(result.probabilities[7]).toBe(0.5);
    expect(result.probabilities[8]).not.toBe(0.5);

    // Every row's var_7 a thousand times too large: a unit, not a few typos.
    const scaled = csv(40)
      .trim()
      .split('\n')
      .map((line, i) => {
        if (i === 0) return line;
        const cells = line.split(',');
        cells[8] = String(Number(cells[8]) * 1000 + 20);
        return cells.join(',');
      });
    const refused = scoreFile({
      source: localSource(opener(scaled.join('\n')), { batchRows: 16 }),
      run,
      explain,
      driftFeatures,
      onLines: () => {},
    });
    await expect(refused).rejects.toThrow(
      /^Cannot use feature column var_7: 40 of its 40 values are far outside every value the model was trained on \(for example row 1, var_7: /,
    );
    await expect(refused).rejects.not.toThrow(/labelled/);
    // A labelled file in other units: the refusal points to training a model on it.
    const labelled = csv(40, { target: true })
      .trim()
      .split('\n')
      .map((line, i) => {
        if (i === 0) return line;
        const cells = line.split(',');
        cells[9] = String(Number(cells[9]) * 1000 + 20);
        return cells.join(',');
      });
    await expect(
      scoreFile({
        source: localSource(opener(labelled.join('\n')), { batchRows: 16 }),
        run,
        explain,
        driftFeatures,
        onLines: () => {},
      }),
    ).rejects.toThrow(
      /var_7.*a model trained on this labelled file \(Model: Train a model on a labelled file\)/,
    );
  });

  it('does not check a feature the model was trained on as one value (min = max): it scores a normal file', async () => {
    // Trained on [-4.8, 4.8], var_5 on the single value 0 (a constant column in the training file).
    const driftFeatures = FEATURE_NAMES.map((name, j) => ({
      name,
      quantiles: QUANTILE_LEVELS.map((l) => (j === 5 ? 0 : -4.8 + 9.6 * l)),
    }));
    const result = await scoreFile({
      source: localSource(opener(csv(40)), { batchRows: 16 }),
      run,
      explain,
      driftFeatures,
      onLines: () => {},
    });
    expect(result.rows).toBe(40);
    expect(result.issues.byKind['far-outside'] ?? 0).toBe(0);
  });

  it('starts over cleanly when the reader restarts', async () => {
    let text = '';
    let restarts = 0;
    const file = csv(200);
    const result = await scoreFile({
      // A reader that gets half-way, then restarts and reads the whole file again.
      source: async (sink) => {
        const first = localSource(opener(file.slice(0, file.length / 2).replace(/\n[^\n]*$/, '\n')), {
          batchRows: 40,
        });
        await first(sink);
        sink.onRestart();
        return localSource(opener(file), { batchRows: 40 })(sink);
      },
      run,
      explain,
      onLines: (lines) => (text += decoder.decode(lines)),
      onRestart: () => {
        restarts++;
        text = '';
      },
    });
    expect(restarts).toBe(1);
    expect(result.rows).toBe(200);
    expect(text.trim().split('\n')).toHaveLength(200);
  });

  it('rejects a file the reader refuses', async () => {
    await expect(
      scoreFile({ source: localSource(opener('ID_code,var_0\na,1\n')), run, explain, onLines: () => {} }),
    ).rejects.toThrow(/var_1/);
  });
});

describe('the evaluation', () => {
  // Was score-file's own `evaluate`; the file is now evaluated once, by evaluateLabels along the ranking.
  const evaluate = (p: Float32Array, t: Float32Array | null) =>
    t ? evaluateLabels(p, t, rankScores(p).order) : null;

  it('leaves rows with a bad label out and needs both classes', () => {
    const p = new Float32Array([0.9, 0.2, 0.8, 0.1]);
    expect(evaluate(p, new Float32Array([1, 0, NaN, 0]))).toMatchObject({
      auc: 1,
      labelled: 3,
      positives: 1,
    });
    expect(evaluate(p, new Float32Array([0, 0, 0, 0]))).toBeNull();
    expect(evaluate(p, null)).toBeNull();
  });

  it('is what scoreFile returns, with the ranking it was read along', async () => {
    const result = await scoreFile({
      source: localSource(opener(csv(300, { target: true })), { batchRows: 50 }),
      run,
      explain,
      onLines: () => {},
    });
    expect(result.ranking.order).toEqual(rankScores(result.probabilities).order);
    expect(result.evaluation).toEqual(evaluate(result.probabilities, result.targets));
  });
});

describe('scoreFile with the model’s record of fitted rows', () => {
  /** A labelled file of distinct random rows, and its features as the reader gives them. */
  function randomFile(rows: number) {
    const random = mulberry32(3);
    const features = new Float32Array(rows * FEATURE_COUNT);
    const targets = new Float32Array(rows);
    const lines = [['ID_code', 'target', ...FEATURE_NAMES].join(',')];
    for (let i = 0; i < rows; i++) {
      targets[i] = random() < 0.3 ? 1 : 0;
      const cells = [`id${i}`, String(targets[i])];
      for (let j = 0; j < FEATURE_COUNT; j++) {
        const text = (random() * 10 - 5 + (j === 0 ? targets[i] : 0)).toFixed(4);
        features[i * FEATURE_COUNT + j] = Number(text);
        cells.push(text);
      }
      lines.push(cells.join(','));
    }
    return { csv: `${lines.join('\n')}\n`, features, targets };
  }

  it('counts the rows it was fitted on and gives the AUC on the other labelled rows', async () => {
    const file = randomFile(600);
    const fittedOn = Array.from({ length: 400 }, (_, i) => i + 100);
    const result = await scoreFile({
      source: localSource(opener(file.csv, 4096), { batchRows: 64 }),
      run,
      explain,
      fittedRows: FittedRows.of(file.features, fittedOn),
      onLines: () => {},
    });
    const fitted = result.fitted!;
    // Every fitted row is found; a false positive among the 200 others is a 1-in-50 event.
    expect(fitted.fitted).toBeGreaterThanOrEqual(400);
    expect(fitted.fitted).toBeLessThanOrEqual(401);
    expect(fitted.labelled).toBe(600 - fitted.fitted);
    const record = FittedRows.of(file.features, fittedOn);
    const others = Array.from({ length: 600 }, (_, i) => i).filter((i) => !record.has(file.features, i));
    expect(fitted.auc).toBeCloseTo(
      auc(
        Float32Array.from(others, (i) => result.probabilities[i]),
        Float32Array.from(others, (i) => file.targets[i]),
      ),
      12,
    );
    expect(fitted.positives).toBe(others.filter((i) => file.targets[i] === 1).length);
  });

  it('gives no figures without a record, or without a target column', async () => {
    const file = randomFile(50);
    const plain = await scoreFile({
      source: localSource(opener(file.csv), { batchRows: 16 }),
      run,
      explain,
      onLines: () => {},
    });
    expect(plain.fitted).toBeNull();
    const unlabelled = await scoreFile({
      source: localSource(opener(csv(50)), { batchRows: 16 }),
      run,
      explain,
      fittedRows: FittedRows.of(file.features, [0, 1]),
      onLines: () => {},
    });
    expect(unlabelled.fitted).toBeNull();
  });
});
