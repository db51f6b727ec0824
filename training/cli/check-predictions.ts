/**
 * `tsx training/cli/check-predictions.ts <predictions.csv> <test.csv> [<test-labels.csv>]`: the pipeline's
 * evaluate step. Every test row must have a probability; with labels (synthetic data) it prints the AUC on them.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { checkPredictions } from '../gate/predictions';

/** Counts newline-terminated lines without holding the (300 MB) test file in memory. */
async function countLines(path: string): Promise<number> {
  let count = 0;
  let last = 10;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) count++;
    last = chunk[chunk.length - 1];
  }
  return last === 10 ? count : count + 1;
}

const [predictions, test, labels] = process.argv.slice(2);
if (!predictions || !test) {
  console.error(
    'usage: tsx training/cli/check-predictions.ts <predictions.csv> <test.csv> [<test-labels.csv>]',
  );
  process.exit(2);
}
try {
  const rows = (await countLines(test)) - 1;
  const r = checkPredictions(
    readFileSync(predictions, 'utf8'),
    rows,
    labels ? readFileSync(labels, 'utf8') : undefined,
  );
  console.log(
    `evaluate: ${r.rows} test rows scored, every prediction in [0, 1]` +
      (r.auc === undefined ? '' : `; AUC on the ${r.rows} labelled test rows ${r.auc.toFixed(4)}`),
  );
} catch (e) {
  console.error(`evaluate: ${predictions}: ${(e as Error).message}`);
  process.exit(1);
}
