/** The readable model-card.md, rendered from model-card.json's content. */
import type { ModelCard } from '../model-card';

function pct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** Markdown for a card: summary, evidence, charts' tables and the most important features. */
export function renderCardMarkdown(card: ModelCard): string {
  const m = card.metrics;
  const lines: string[] = [];
  lines.push(`# Model card: ${card.version}`, '');
  lines.push(`${card.model.kind}.`, '');
  lines.push('| | |', '| --- | --- |');
  lines.push(
    `| model file | \`${card.model.file}\` (${card.model.bytes} bytes, sha256 \`${card.model.sha256}\`) |`,
  );
  lines.push(
    `| data | \`${card.data.file}\` (${card.data.source}), ${card.data.rows} rows, ${card.data.positives} positives (${pct(card.data.positives / card.data.rows, 2)}) |`,
  );
  if (card.data.description) lines.push(`| rows | ${card.data.description} |`);
  lines.push(`| data sha256 | \`${card.data.sha256}\` |`);
  if (card.data.generator)
    lines.push(
      `| generator | ${Object.entries(card.data.generator)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} |`,
    );
  lines.push(
    card.trainedIn === 'browser'
      ? `| created | ${card.createdAt}, trained in a browser by the app (build ${card.gitCommit}) on \`${card.data.file}\` |`
      : `| created | ${card.createdAt}, git ${card.gitCommit} |`,
  );
  lines.push(`| training time | ${m.trainSeconds.toFixed(1)} s |`);
  lines.push('');
  lines.push('## How it was trained', '');
  lines.push(
    `Fitted on ${card.model.parameters.trainedOn ?? 'the training part'}. Per feature, the values were binned on a ` +
      `uniform grid of ${card.model.parameters.bins ?? '?'} cells and a smooth log-odds curve was fitted to the ` +
      `cell counts (penalised logistic regression, smoothness chosen per feature by ${m.cv.folds}-fold ` +
      'cross-validated deviance). The curves, minus the prior log-odds, are the log density ratios of the ' +
      'feature given the target; their sum was calibrated (slope and intercept) on out-of-fold scores.',
    '',
  );
  lines.push('## How good it is', '');
  lines.push(
    `Holdout (${pct(m.holdout.share, 0)} of rows, stratified, never used in fitting): ${m.holdout.rows} rows, ${m.holdout.positives} positives.` +
      (card.data.description
        ? " Every figure in this card is measured on these rows, held out from the training rows described above, not on anyone else's data."
        : ''),
    '',
  );
  lines.push('| metric | value |', '| --- | --- |');
  lines.push(`| holdout AUC | ${m.holdout.auc.toFixed(4)} |`);
  lines.push(
    `| ${m.cv.folds}-fold CV AUC (training part) | ${m.cv.aucMean.toFixed(4)} ± ${m.cv.aucStd.toFixed(4)} |`,
  );
  lines.push(`| holdout log loss | ${m.holdout.logLoss.toFixed(4)} |`);
  lines.push(`| holdout PR-AUC (average precision) | ${m.holdout.prAuc.toFixed(4)} |`);
  if (m.bayes) {
    lines.push(`| Bayes-optimal AUC on the same rows | ${m.bayes.auc.toFixed(4)} |`);
    lines.push(`| ratio to Bayes-optimal | ${m.bayes.ratio.toFixed(4)} |`);
  }
  for (const [name, value] of Object.entries(m.baselines ?? {})) {
    lines.push(`| baseline ${name} AUC (same training rows) | ${value.toFixed(4)} |`);
  }
  lines.push('');
  if (card.realData) {
    const r = card.realData;
    lines.push('## What to expect on the real Kaggle data (an estimate)', '');
    lines.push(
      `Expected AUC on the real train/test data: **${r.aucLow.toFixed(2)} to ${r.aucHigh.toFixed(2)}**.`,
      '',
    );
    lines.push(r.basis, '', 'What the model cannot know:', '');
    for (const limit of r.limits) lines.push(`- ${limit}`);
    lines.push('');
  }
  lines.push('## Flagging the top customers (holdout)', '');
  lines.push('| flag top | threshold | precision | recall |', '| --- | --- | --- | --- |');
  for (const t of card.charts.thresholds.filter((r) => [0.01, 0.05, 0.1, 0.2, 0.3, 0.5].includes(r.share))) {
    lines.push(`| ${pct(t.share, 0)} | ${t.threshold.toFixed(4)} | ${pct(t.precision)} | ${pct(t.recall)} |`);
  }
  lines.push('');
  lines.push('## Calibration (holdout, equal-count bins)', '');
  lines.push('| mean predicted | observed | rows |', '| --- | --- | --- |');
  for (const b of card.charts.calibration)
    lines.push(`| ${b.predicted.toFixed(4)} | ${b.observed.toFixed(4)} | ${b.count} |`);
  lines.push('');
  lines.push('## Missing and non-finite values', '', card.model.missingValues, '');
  lines.push('## Most important features (mean |contribution| to the log-odds on the holdout)', '');
  lines.push('| feature | importance | 1% | median | 99% |', '| --- | --- | --- | --- | --- |');
  const top = [...card.features].sort((a, b) => b.importance - a.importance).slice(0, 15);
  for (const f of top) {
    lines.push(
      `| ${f.name} | ${f.importance.toFixed(4)} | ${f.quantiles[1]} | ${f.quantiles[7]} | ${f.quantiles[13]} |`,
    );
  }
  lines.push('');
  lines.push('## Parameters', '', '| name | value |', '| --- | --- |');
  for (const [k, v] of Object.entries(card.model.parameters)) lines.push(`| ${k} | ${v} |`);
  lines.push('');
  return lines.join('\n');
}
