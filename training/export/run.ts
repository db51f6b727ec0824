/** The export run behind `npm run export`: the model as SQL for a warehouse, or as a scorecard for review. */
import { join } from 'node:path';
import { writeFilesAtomically } from '../io/atomic-write';
import { loadModel } from './load';
import { buildScorecard, cellShares, type Scaling, scorecardCsv, scorecardMarkdown } from './scorecard';
import { binsCsv, binsSql, type Dialect, scoringSql } from './sql';

/** Options of one export. */
export interface ExportOptions {
  model: string;
  /** Model card; default model-card.json beside the model. */
  card?: string;
  format: 'sql' | 'scorecard';
  /** Folder the files go to (created). */
  out: string;
  dialect?: Dialect;
  /** The table to score, as the query names it. */
  table?: string;
  binsTable?: string;
  /** Top reasons per customer in the query's output (0 = none). */
  reasons?: number;
  scaling?: Scaling;
  /** Merge tolerance of the scorecard, in log-odds. */
  tolerance?: number;
}

/** The files written (all or none). */
export interface ExportResult {
  files: string[];
  /** One line saying what the files hold. */
  summary: string;
}

/** Writes the export's files into `out`; throws an InputError for a model it cannot read or write exactly. */
export async function exportModel(options: ExportOptions): Promise<ExportResult> {
  const loaded = await loadModel(options.model, options.card);
  if (options.format === 'scorecard') {
    const shares = cellShares(loaded.card, loaded.sql);
    const card = buildScorecard(loaded.model, loaded.sql, options.scaling, options.tolerance, shares);
    const files: [string, string][] = [
      [join(options.out, 'scorecard.csv'), scorecardCsv(card)],
      [join(options.out, 'scorecard.md'), scorecardMarkdown(card, loaded.source)],
    ];
    await writeFilesAtomically(files);
    const ranges = card.rows.filter((r) => r.range > 0).length;
    return {
      files: files.map(([path]) => path),
      summary:
        `${ranges} ranges over ${card.maxChangePerFeature.length} features (tolerance ${card.tolerance} log-odds), ` +
        `${card.scaling.referenceScore} points at odds ${card.scaling.referenceOdds}:1, PDO ${card.scaling.pdo}`,
    };
  }
  const sqlOptions = {
    dialect: options.dialect ?? 'duckdb',
    table: options.table ?? 'customers',
    binsTable: options.binsTable ?? 'scorecard_bins',
    reasons: options.reasons ?? 0,
  };
  const files: [string, string][] = [
    [join(options.out, 'bins.csv'), binsCsv(loaded.sql)],
    [join(options.out, 'bins.sql'), binsSql(loaded.sql, loaded.source, sqlOptions)],
    [join(options.out, 'score.sql'), scoringSql(loaded.sql, loaded.source, sqlOptions)],
  ];
  await writeFilesAtomically(files);
  return {
    files: files.map(([path]) => path),
    summary:
      `${loaded.sql.rows.length} bins-table rows; ${sqlOptions.dialect} query over ${sqlOptions.table}` +
      (sqlOptions.reasons > 0 ? ` with the top ${sqlOptions.reasons} reasons` : ''),
  };
}
