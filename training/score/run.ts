/** The scoring run behind `npm run score`: stream a CSV through the model into `ID_code,target` lines. */
import { blankFarCells, farBounds } from '../../src/core/scoring/far-values';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { makeFolder } from '../io/folder';
import { FittedRows } from '../../src/core/fit/fitted-rows';
import { checkedModel } from './model-check';
import { type FittedLabelFigures, FittedLabelTally } from '../../src/core/insights/fitted-labels';
import { CellPolicy } from '../../src/core/cell-policy';
import { withRoom } from '../../src/core/grow';
import { auc } from '../../src/core/metrics';
import { fileNotes } from '../../src/core/input/notes';
import { PREDICTIONS_HEADER_LINE, PredictionLinesWriter } from '../../src/core/scoring/predictions-csv';
import { readTableFile } from '../io/read-csv';
import { tempPathFor, writeFilesAtomically } from '../io/atomic-write';
import { AFFECTED_ROWS_HEADER, RowIssues } from '../../src/core/row-issues/collector';
import type { RowIssueDigest } from '../../src/core/row-issues/types';
import { InputError } from '../io/read-rows';
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
  /**
   * Where to write the affected-rows CSV (`row,ID_code,column,kind,value`, the app's "list of affected rows"
   * download, the same bytes); written only with predictions.csv, header only when no row is affected.
   */
  affectedRows?: string;
}

/** Figures of a finished run. */
export interface ScoreResult {
  rows: number;
  bytes: number;
  seconds: number;
  /** How the file was read (separator, encoding, skipped lines, ...), in the results page's words. */
  notes: string[];
  /** The problem rows, as the results page lists them (bad cells scored as missing, rows without an id, ...). */
  issues: RowIssueDigest;
  /** The model on the file's own labels, as the results page gives it; null without a target column. */
  evaluation: LabelFigures | null;
  /**
   * With a target column and the model's record of fitted rows beside it (fitted-rows.bin, checked against the
   * model-card.json beside it by checkedModel): the rows it was fitted on and its AUC on the other labelled
   * rows. Else null.
   */
  fitted: FittedLabelFigures | null;
}

/**
 * The model on a labelled file's rows whose target is 0 or 1 (a row with another target is scored but left out,
 * and listed as a row issue): `auc` is NaN when those rows hold one class only (or none).
 */
export interface LabelFigures {
  auc: number;
  /** Rows labelled 0 or 1. */
  rows: number;
  positives: number;
}

/** Probabilities and labels of the rows labelled 0 or 1, batch by batch. */
class LabelTally {
  private scores = new Float32Array(1 << 16);
  private labels = new Uint8Array(1 << 16);
  private count = 0;
  private positives = 0;

  add(probability: Float32Array, targets: Float32Array, count: number): void {
    this.scores = withRoom(this.scores, this.count, this.count + count);
    this.labels = withRoom(this.labels, this.count, this.count + count);
    for (let i = 0; i < count; i++) {
      const y = targets[i];
      if (y !== 0 && y !== 1) continue; // NaN: the reader found no 0 or 1 there
      this.scores[this.count] = probability[i];
      this.labels[this.count++] = y;
      this.positives += y;
    }
  }

  figures(): LabelFigures {
    const n = this.count;
    return {
      auc: auc(this.scores.subarray(0, n), this.labels.subarray(0, n)),
      rows: n,
      positives: this.positives,
    };
  }
}

/**
 * Scores `input` into `out` (written to a temporary name, renamed at the end; removed on failure). The app's
 * policy: bad cells are scored as missing and listed, rows without an ID_code are left out and listed, and a
 * file whose feature columns cannot be read as numbers is refused (src/core/cell-policy.ts).
 */
export async function scoreFile(options: ScoreOptions): Promise<ScoreResult> {
  const started = performance.now();
  // The app's check of the model against its card (and of its record of fitted rows), before any row is read.
  const model = await checkedModel(options.model);
  const scorer = await createScorer(model.onnx, options.model);
  const record = model.fittedRows ? FittedRows.parse(model.fittedRows) : null;
  // The app's rule for values too far outside the training range to be data (src/core/scoring/far-values.ts).
  const bounds = farBounds(model.card.features);
  let fitted: FittedLabelTally | null = null;
  await makeFolder(dirname(options.out));
  const temp = tempPathFor(options.out);
  let stream = createWriteStream(temp);
  // A file that cannot be made rejects here, with the system's error, rather than as an unhandled stream error.
  await once(stream, 'open');
  let issues = new RowIssues();
  // The cell policy, with the CLI's way to train a model on the file (the app names its menu).
  const trainHint = `npm run train -- --data ${/\s/.test(options.input) ? JSON.stringify(options.input) : options.input} --out <dir>`;
  const freshPolicy = () => new CellPolicy(trainHint);
  let policy = freshPolicy();
  let labels: LabelTally | null = null;
  let wroteHeader = false;
  let restarted = false;
  let listWritten: string | null = null;
  const lines = new PredictionLinesWriter();
  const write = async (text: string | Uint8Array) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  try {
    const { summary, source } = await readTableFile(options.input, {
      member: options.member,
      batchRows: options.batchRows ?? 8192,
      onIssue(issue) {
        // A bad target is listed as the page lists it: the row is scored, and left out of the evaluation.
        issues.add(issue);
        policy.add(issue);
      },
      onRestart() {
        // The reader reads the file again from the top (papaparse, or Windows-1252): start the output over.
        issues = new RowIssues();
        policy = freshPolicy();
        labels = null;
        fitted = null;
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
        issues.noteBatch(batch);
        if (bounds) {
          blankFarCells(batch, bounds, (issue) => {
            issues.add(issue);
            policy.add(issue);
          });
        }
        const probability = await scorer.probabilities(batch.features, batch.count);
        if (batch.targets) (labels ??= new LabelTally()).add(probability, batch.targets, batch.count);
        if (batch.targets && record) {
          (fitted ??= new FittedLabelTally(record)).add(
            batch.features,
            probability,
            batch.targets,
            batch.count,
          );
        }
        if (!wroteHeader) await write(PREDICTIONS_HEADER_LINE);
        wroteHeader = true;
        // The app's line writer (the same bytes); copied, as the stream keeps what it is given until flushed.
        lines.write(batch.ids, probability, 0, batch.count);
        await write(Buffer.from(lines.take()));
      },
    });
    if (!wroteHeader || restarted) {
      // No batch after a restart means no rows; the reader refuses row-less files, so this is a safeguard.
      throw new InputError('no rows to score.');
    }
    const refusal = policy.verdict(summary);
    const warning = policy.warning(summary);
    if (refusal) {
      // Named like every other refusal of this file (readTableFile puts the path first).
      refusal.message = `${options.input}: ${refusal.message}`;
      throw refusal;
    }
    stream.end();
    await once(stream, 'finish');
    if (options.affectedRows !== undefined) {
      const chunks = issues.digest().rows > 0 ? issues.csvChunks() : [`${AFFECTED_ROWS_HEADER}\n`];
      await writeFilesAtomically([[options.affectedRows, chunks.join('')]]);
      listWritten = options.affectedRows;
    }
    await rename(temp, options.out);
    return {
      rows: summary.rows,
      bytes: summary.bytes,
      seconds: (performance.now() - started) / 1000,
      notes: [...(warning ? [warning] : []), ...fileNotes(source, summary)],
      issues: issues.digest(),
      evaluation: (labels as LabelTally | null)?.figures() ?? null,
      fitted: (fitted as FittedLabelTally | null)?.figures() ?? null,
    };
  } catch (error) {
    // A write may still be in flight: its late ERR_STREAM_DESTROYED must not crash the process.
    stream.on('error', () => {});
    stream.destroy();
    // The file may still be opening: removed only once the stream is closed, or the open would bring it back.
    const closing = stream;
    if (!closing.closed) await new Promise<void>((resolve) => closing.once('close', () => resolve()));
    await rm(temp, { force: true });
    // The list goes with predictions.csv: not left behind when the last rename fails.
    if (listWritten !== null) await rm(listWritten, { force: true });
    throw error;
  } finally {
    await scorer.release();
  }
}
