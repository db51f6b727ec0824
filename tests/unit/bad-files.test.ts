/**
 * Every entry of the bad-file corpus through the shared reader in Node, as the worker runs it (src/core/input's
 * openTable with the browser's DecompressionStream, so gzip, zip, Parquet and UTF-16 are told apart by their
 * bytes, as in the app and the CLI): whole-file problems are refused with the precise message, cell and
 * row problems are reported with row, column and value while every row is still delivered, and the row policy
 * (src/core/row-issues/collector.ts) turns repeated ids into a warning. The two big entries check bounded memory.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CellPolicy } from '../../src/core/cell-policy';
import { CsvError, parseCsv, type ParseInfo, type ParseSummary, type RowIssue } from '../../src/core/csv';
import { readingNotes } from '../../src/core/csv/notes';
import { bytesAccess, openTable } from '../../src/core/input';
import { webPlatform } from '../../src/core/input/platform';
import { DriftAccumulator } from '../../src/core/drift';
import { unpackIds } from '../../src/core/ids';
import { QUANTILE_LEVELS } from '../../src/core/model-card';
import { fileProblemMessage } from '../../src/app/file-problem';
import { RowIssues } from '../../src/core/row-issues/collector';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../src/core/schema';
import { BIG_FILE_BYTES, badFiles, type BadFile, type Expected } from '../fixtures/bad-files';

interface Outcome {
  error?: unknown;
  info?: ParseInfo;
  summary?: ParseSummary;
  rows: number;
  ids: string[];
  features: Float32Array[];
  issues: RowIssue[];
  policy: RowIssues;
  /** The cell policy's warning for a file it lets through. */
  warning?: string | null;
}

/**
 * Reads a small file completely (a zip's `member` when given), keeping everything for the assertions; applies
 * the app's cell policy.
 */
async function read(file: BadFile, member?: string): Promise<Outcome> {
  const out: Outcome = { rows: 0, ids: [], features: [], issues: [], policy: new RowIssues() };
  let cells = new CellPolicy();
  try {
    // 64 KiB chunks, as before: small chunks exercise the readers' carry-over.
    const table = await openTable(bytesAccess(file.bytes!, 64 * 1024), {
      name: file.fileName,
      platform: webPlatform,
      member,
    });
    const summary = await table.read({
      batchRows: 4,
      onInfo: (info) => (out.info = info),
      onIssue: (issue) => {
        out.issues.push(issue);
        out.policy.add(issue);
        cells.add(issue);
      },
      onBatch: (batch) => {
        out.ids.push(...unpackIds(batch.ids));
        for (let r = 0; r < batch.count; r++) {
          out.features.push(batch.features.slice(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT));
        }
        out.policy.noteBatch(batch);
      },
      onRestart: () => {
        Object.assign(out, { rows: 0, ids: [], features: [], issues: [], policy: new RowIssues() });
        cells = new CellPolicy();
      },
    });
    expect(summary.issueCount).toBe(out.issues.length);
    // A refused file offers no rows, even when the reader delivered them before the policy judged the file.
    const refusal = cells.verdict(summary);
    if (refusal) throw refusal;
    out.warning = cells.warning(summary);
    out.rows = summary.rows;
    out.summary = summary;
  } catch (error) {
    out.error = error;
  }
  return out;
}

function pick<T extends object>(from: T, keys: string[]): Partial<T> {
  return Object.fromEntries(keys.map((k) => [k, from[k as keyof T]])) as Partial<T>;
}

const corpus = badFiles();
const smallFiles = corpus.filter((f) => f.bytes !== undefined);

describe('bad-file corpus through parseCsv', () => {
  it('covers every case the trust issue lists', () => {
    const keys = corpus.map((f) => f.key);
    for (const key of [
      'empty',
      'header-only',
      'png',
      'corrupt-gz',
      'semicolon',
      'tab',
      'decimal-comma',
      'missing-columns',
      'duplicate-columns',
      'no-id',
      'non-numeric',
      'empty-cells',
      'non-finite',
      'exponent',
      'too-few-fields',
      'too-many-fields',
      'empty-extra-fields',
      'trailing-separator-data',
      'trailing-separator-header',
      'gz-two-members',
      'gz-trailing-zeros',
      'gz-junk-after',
      'gz-empty-member',
      'gz-zeros-then-member',
      'dos-end-of-file',
      'dos-end-of-file-glued',
      'quoted-decimal-comma-3',
      'thousands-comma',
      'thousands-point',
      'far-outside',
      'far-code',
      'far-mostly-empty',
      'row-names-no-header-cell',
      'unquoted-comma-ids',
      'unquoted-comma-ids-third',
      'duplicate-ids',
      'bom',
      'double-bom',
      'invisible-in-name',
      'parquet-timestamp',
      'parquet-empty',
      'tar-gz',
      'crlf',
      'quoted',
      'trailing-blank',
      'non-ascii-ids',
      'long-line',
      'big-2gb',
    ]) {
      expect(keys).toContain(key);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  for (const file of smallFiles) {
    const expected = file.expected;
    // A known gap fails today; `fails` turns red the day it is fixed, so the entry gets updated then.
    const test = file.knownGap ? it.fails : it;
    test(`${file.key}: ${file.description} -> ${expected.outcome}${file.knownGap ? ` (known gap: ${file.knownGap})` : ''}`, async () => {
      await check(await read(file), expected);
      if (file.chooser) {
        // The archive's tables, in the order the app offers them; the one picked reads as expected.
        const error = (await read(file)).error as Error & { members?: { name: string }[] };
        expect(error.members?.map((m) => m.name).filter((n) => file.chooser!.order.includes(n))).toEqual(
          file.chooser.order,
        );
        await check(await read(file, file.chooser.pick), file.chooser.then);
      }
    });
  }
});

/** The outcome of a read against what the corpus says must happen. */
async function check(out: Outcome, expected: Expected): Promise<void> {
  if (expected.outcome === 'refused') {
    expect(out.error, 'the file must be refused').toBeInstanceOf(Error);
    const error = out.error as Error & { row?: number };
    expect(error.name).toBe(expected.error);
    for (const fragment of expected.message) expect(error.message).toContain(fragment);
    if (expected.row !== undefined) expect(error.row).toBe(expected.row);
    // Never a partial result.
    expect(out.rows).toBe(0);
    return;
  }
  expect(out.error).toBeUndefined();
  expect(out.rows).toBe(expected.rows);
  expect(out.ids.length).toBe(expected.rows);
  expect(out.features.length).toBe(expected.rows);
  expect(out.issues.map((i) => ({ ...i }))).toEqual(
    expected.issues.map((e, k) => ({ ...out.issues[k], ...e })),
  );
  expect(out.issues.length).toBe(expected.issues.length);
  for (const [field, value] of Object.entries(expected.info ?? {})) {
    const got =
      field === 'skippedLines'
        ? out.summary?.skippedLines.map((l) => l.line)
        : out.summary?.[field as keyof ParseSummary];
    expect(got, field).toEqual(value);
  }
  // The header's facts are known before the rows, and stay the same.
  expect(out.info).toEqual({ ...out.info, ...pick(out.summary!, Object.keys(out.info!)) });
  const notes = readingNotes(out.summary!).join(' ');
  for (const fragment of expected.notes ?? []) expect(notes).toContain(fragment);
  if (expected.warning) for (const fragment of expected.warning) expect(out.warning).toContain(fragment);
  else expect(out.warning, 'no column warning').toBeNull();
  for (const { row, feature, value } of expected.values ?? []) {
    const got = out.features[row - 1][feature];
    if (Number.isNaN(value)) expect(got, `row ${row} var_${feature}`).toBeNaN();
    else expect(got, `row ${row} var_${feature}`).toBe(value);
  }
  for (const { row, id } of expected.ids ?? []) expect(out.ids[row - 1]).toBe(id);
  expect(out.ids, 'no empty id is ever delivered').not.toContain('');
  if (expected.extra) expect(out.info?.columns.extra).toEqual(expected.extra);
  // Every feature cell without a reported issue is a finite number: nothing is silently changed.
  const flagged = new Set(out.issues.map((i) => `${i.row}:${i.column}`));
  out.features.forEach((row, r) =>
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) {
        // A short row lacks its last cells; a long row with something in its extras uses none of its values.
        const short = out.issues.some(
          (i) => i.row === r + 1 && (i.kind === 'too-few-fields' || i.kind === 'too-many-fields'),
        );
        expect(
          short || flagged.has(`${r + 1}:var_${j}`),
          `row ${r + 1} var_${j} is NaN without an issue`,
        ).toBe(true);
      }
    }),
  );
  const digest = out.policy.digest();
  expect(digest.duplicates.rows).toBe(expected.duplicateRows?.length ?? 0);
  if (expected.outcome === 'warned') {
    const dupRows = digest.duplicates.examples.map((d) => d.row);
    expect(dupRows).toEqual(expected.duplicateRows);
    expect(digest.message).toContain('were all kept and scored');
  }
  // The policy lists exactly the rows with issues (plus repeated ids).
  const affected = new Set([...out.issues.map((i) => i.row), ...(expected.duplicateRows ?? [])]);
  expect(Array.from(out.policy.affectedRows())).toEqual([...affected].sort((a, b) => a - b));
}

/** Pulls a lazy stream through the reader, counting bytes pulled and sampling memory. */
async function stream(file: BadFile) {
  let pulled = 0;
  const open = async function* () {
    for await (const chunk of file.open()) {
      pulled += chunk.length;
      yield chunk;
    }
  };
  globalThis.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed + before.arrayBuffers;
  let rows = 0;
  let error: unknown;
  const started = performance.now();
  try {
    const summary = await parseCsv(open, {
      onBatch: (batch) => {
        rows += batch.count;
        if (batch.firstRow % 16 === 1) {
          const m = process.memoryUsage();
          peakRss = Math.max(peakRss, m.rss);
          peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
        }
      },
    });
    expect(summary.rows).toBe(rows);
  } catch (e) {
    error = e;
  }
  const seconds = (performance.now() - started) / 1000;
  const mb = (n: number) => Math.round(n / 2 ** 20);
  const figures = {
    pulledMB: mb(pulled),
    rssGrowthMB: mb(peakRss - before.rss),
    heapGrowthMB: mb(peakHeap - before.heapUsed - before.arrayBuffers),
    seconds: +seconds.toFixed(1),
  };
  console.log(`${file.key}: ${JSON.stringify({ rows, ...figures })}`);
  return { rows, error, pulled, figures };
}

describe('big files: bounded memory', () => {
  const longLine = corpus.find((f) => f.key === 'long-line')!;
  const big = corpus.find((f) => f.key === 'big-2gb')!;

  it('refuses a 100 MB line early, after reading only a few MiB', async () => {
    const { error, pulled, figures } = await stream(longLine);
    expect(error).toBeInstanceOf(CsvError);
    const e = error as CsvError;
    expect(e.message).toContain('Row 1 is longer than 1 MiB without a line break');
    expect(e.code).toBe('line-too-long');
    expect(e.row).toBe(1);
    // Refused as soon as the line passes the limit: the rest of the 100 MB is never pulled.
    expect(pulled).toBeLessThan(4 * 2 ** 20);
    expect(figures.rssGrowthMB).toBeLessThan(64);
  });

  it('streams a 2 GB file through with flat memory', { timeout: 600_000 }, async () => {
    expect(big.size).toBeGreaterThan(BIG_FILE_BYTES - 4096);
    const { rows, error, pulled, figures } = await stream(big);
    expect(error).toBeUndefined();
    expect(big.expected.outcome).toBe('scored');
    if (big.expected.outcome !== 'refused') expect(rows).toBe(big.expected.rows);
    expect(pulled).toBe(big.size);
    // 2 GB went through; the reader holds one batch and one chunk at a time.
    expect(figures.rssGrowthMB).toBeLessThan(256);
  });
});

describe('the whole row policy on mutated corpus files (fast-check)', () => {
  const seeds = smallFiles.filter((f) => !f.fileName.endsWith('.gz')).map((f) => f.bytes!);
  const card = FEATURE_NAMES.map((name) => ({ name, quantiles: QUANTILE_LEVELS.map((l) => (l - 0.5) * 40) }));
  // One accumulator for all runs (building its lookup grid costs more than a run): it only has to never throw.
  const drift = new DriftAccumulator(card);

  it('always ends in a scored file with consistent issues or a clean refusal', async () => {
    const mutation = fc.record({
      seed: fc.nat({ max: seeds.length - 1 }),
      edits: fc.array(
        fc.record({
          at: fc.nat(),
          op: fc.constantFrom('flip', 'insert', 'delete', 'truncate'),
          byte: fc.constantFrom(0, 9, 10, 13, 34, 44, 46, 59, 45, 101, 48, 57, 0xc3, 0xef, 0xff, 32),
        }),
        { maxLength: 6 },
      ),
      batchRows: fc.integer({ min: 1, max: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ seed, edits, batchRows }) => {
        let bytes = Array.from(seeds[seed]);
        for (const { at, op, byte } of edits) {
          const i = bytes.length === 0 ? 0 : at % bytes.length;
          if (op === 'flip') bytes[i] = byte;
          else if (op === 'insert') bytes.splice(i, 0, byte);
          else if (op === 'delete') bytes.splice(i, 1);
          else bytes = bytes.slice(0, i);
        }
        const data = Uint8Array.from(bytes);
        let policy = new RowIssues({ detailLimit: 50 });
        let cells = new CellPolicy();
        let issueRows = new Set<number>();
        let rows = 0;
        try {
          const summary = await parseCsv(
            async function* () {
              yield data;
            },
            {
              batchRows,
              onIssue: (issue) => {
                issueRows.add(issue.row);
                policy.add(issue);
                cells.add(issue);
              },
              onBatch: (batch) => {
                policy.noteBatch(batch);
                drift.add(batch.features, batch.count);
                rows += batch.count;
              },
              onRestart: () => {
                // Bytes that are not UTF-8: the file is read again as Windows-1252.
                policy = new RowIssues({ detailLimit: 50 });
                cells = new CellPolicy();
                issueRows = new Set();
                rows = 0;
              },
            },
          );
          expect(summary.rows).toBe(rows);
          const refusal = cells.verdict(summary);
          if (refusal) throw refusal;
          const affected = Array.from(policy.affectedRows());
          for (const row of issueRows) expect(affected).toContain(row);
          // Rows are numbered through rows without an id and repeated header lines, which are not delivered.
          for (const row of affected)
            expect(row).toBeLessThanOrEqual(rows + summary.rowsWithoutId + summary.repeatedHeaders);
          expect(policy.csvChunks().join('').split('\n').length).toBeGreaterThan(affected.length);
          drift.report();
        } catch (error) {
          // Only clean, explained refusals.
          expect(['CsvError', 'SchemaError']).toContain((error as Error).name);
          expect(fileProblemMessage(error, 'f.csv').length).toBeGreaterThan(20);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
