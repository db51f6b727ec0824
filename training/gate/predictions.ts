/** Checks a scored file (`ID_code,target` predictions) before a model is published; pure, for the pipeline. */
import { auc } from '../../src/core/metrics';

/** What a predictions file was found to hold. */
export interface PredictionsCheck {
  rows: number;
  /** AUC of the predictions on the labels, when labels were given. */
  auc?: number;
}

function lines(csv: string): string[] {
  return csv.split(/\r?\n/).filter((l) => l.length > 0);
}

/**
 * Throws an Error naming the first problem: a wrong header, a row count other than `expectedRows`, a value that
 * is not a probability in [0, 1], or (with labels) an id the labels do not have. With `labelsCsv`
 * (`ID_code,target`, e.g. the generator's test-labels.csv) it also returns the AUC, matched by id.
 */
export function checkPredictions(
  predictionsCsv: string,
  expectedRows: number,
  labelsCsv?: string,
): PredictionsCheck {
  const [header, ...rows] = lines(predictionsCsv);
  if (header?.trim() !== 'ID_code,target')
    throw new Error(`predictions header is "${header ?? ''}", not ID_code,target`);
  if (rows.length !== expectedRows) throw new Error(`${rows.length} predictions for ${expectedRows} rows`);
  const ids: string[] = new Array(rows.length);
  const scores = new Float64Array(rows.length);
  rows.forEach((line, i) => {
    const comma = line.lastIndexOf(',');
    const text = line.slice(comma + 1).trim();
    const p = Number(text);
    // Number('') is 0: an empty cell must not pass as a probability.
    if (comma < 0 || text === '' || !(p >= 0 && p <= 1))
      throw new Error(`prediction ${i + 1} is not a probability: "${line}"`);
    ids[i] = line.slice(0, comma);
    scores[i] = p;
  });
  if (labelsCsv === undefined) return { rows: rows.length };
  const label = new Map<string, number>();
  for (const line of lines(labelsCsv).slice(1)) {
    const comma = line.lastIndexOf(',');
    label.set(line.slice(0, comma), Number(line.slice(comma + 1)));
  }
  const labels = new Float64Array(rows.length);
  ids.forEach((id, i) => {
    const y = label.get(id);
    if (y === undefined) throw new Error(`no label for id "${id}"`);
    labels[i] = y;
  });
  return { rows: rows.length, auc: auc(scores, labels) };
}
