/**
 * DuckDB reading only, for bench:duckdb: the file through the engine's view (the same check, typed or checked
 * text reading), every feature summed, no model. Prints how the file was read and the seconds of the byte
 * check (in this process) and of DuckDB's reading.
 * `npx tsx training/cli/bench/duckdb-read-only.ts <file> [model.onnx]`
 */
import { fileURLToPath } from 'node:url';
import { FEATURE_NAMES } from '../../../src/core/schema';
import { openDuckdb } from '../../score/duckdb';

const [input, model = fileURLToPath(new URL('../../../models/model.onnx', import.meta.url))] =
  process.argv.slice(2);
const session = await openDuckdb({ model, input });
try {
  const started = performance.now();
  const sums = FEATURE_NAMES.map((n) => `SUM(${n})`).join(' + ');
  const result = await session.connection.runAndReadAll(`SELECT COUNT(*), ${sums} FROM customers`);
  const read = (performance.now() - started) / 1000;
  console.log(
    `${input}: ${result.getRows()[0][0]} rows read as ${session.reader}; check ${session.checkSeconds.toFixed(2)} s, ` +
      `DuckDB reading ${read.toFixed(2)} s`,
  );
} finally {
  await session.close();
}
