/** The scoring run behind `npm run score`: stream a CSV through the model into `ID_code,target` lines. */
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IssueKind } from '../../src/core/csv/index';
import { idAt } from '../../src/core/ids';
import { PREDICTIONS_HEADER, predictionLine } from '../../src/core/output';
import { readCsvFile } from '../lib/read-csv';
import { tempPathFor } from '../io/atomic-write';
import { describeCellIssue, InputError } from '../io/read-rows';
import { createScorer } from './session';

/** Options of one scoring run. */
export interface ScoreOptions {
  model: string;
  input: string;
  out: string;
  /** The zip member to score, when `input` is an archive of several tables. */
  member?: string;
  /** Rows per batch through the model. */
  batchRows?: number;
}

/** Figures of a finished run. */
export interface ScoreResult {
  rows: number;
  bytes: number;
  seconds: number;
  /** Cells scored with the neutral contribution, by kind ('empty', 'non-finite'). */
  neutralCells: Partial<Record<IssueKind, number>>;
}

/** Cell problems that are scored (value treated as missing); every other problem refuses the file. */
const TOLERATED: ReadonlySet<IssueKind> = new Set<IssueKind>(['empty', 'non-finite']);

async function readModel(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? `${path}: no such model file.` : `${path}: ${(error as Error).message}`,
    );
  }
}

/** Scores `input` into `out` (written to a temporary name, renamed at the end; removed on failure). */
export async function scoreFile(options: ScoreOptions): Promise<ScoreResult> {
  const started = performance.now();
  const scorer = await createScorer(await readModel(options.model), options.model);
  await mkdir(dirname(options.out), { recursive: true });
  const temp = tempPathFor(options.out);
  let stream = createWriteStream(temp);
  let neutralCells: Partial<Record<IssueKind, number>> = {};
  let wroteHeader = false;
  let restarted = false;
  const write = async (text: string) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  try {
    const summary = await readCsvFile(options.input, {
      member: options.member,
      batchRows: options.batchRows ?? 8192,
      onIssue(issue) {
        // A target column is not used for scoring, so a bad label there does not matter.
        if (issue.kind === 'bad-target') return;
        if (!TOLERATED.has(issue.kind)) throw new InputError(describeCellIssue(issue));
        neutralCells[issue.kind] = (neutralCells[issue.kind] ?? 0) + 1;
      },
      onRestart() {
        // The reader met a quoted field and reads the file again with papaparse: start the output over.
        neutralCells = {};
        restarted = true;
      },
      async onBatch(batch) {
        if (restarted) {
          restarted = false;
          stream.end();
          await once(stream, 'finish');
          stream = createWriteStream(temp); // truncates
          wroteHeader = false;
        }
        const probability = await scorer.probabilities(batch.features, batch.count);
        const lines: string[] = wroteHeader ? [] : [PREDICTIONS_HEADER];
        wroteHeader = true;
        for (let i = 0; i < batch.count; i++) lines.push(predictionLine(idAt(batch.ids, i), probability[i]));
        await write(lines.join('\n') + '\n');
      },
    });
    if (!wroteHeader || restarted) {
      // No batch after a restart means no rows; the reader refuses row-less files, so this is a safeguard.
      throw new InputError('no rows to score.');
    }
    stream.end();
    await once(stream, 'finish');
    await rename(temp, options.out);
    return {
      rows: summary.rows,
      bytes: summary.bytes,
      seconds: (performance.now() - started) / 1000,
      neutralCells,
    };
  } catch (error) {
    stream.destroy();
    await rm(temp, { force: true });
    throw error;
  } finally {
    await scorer.release();
  }
}
