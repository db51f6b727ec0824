/**
 * DuckDB reading only, for bench:duckdb: the file through the engine's view (the same parsing and cell rule),
 * every feature summed, no model. `npx tsx training/cli/bench/duckdb-read-only.ts <file> [model.onnx]`
 */
import { fileURLToPath } from 'node:url';
import { FEATURE_NAMES } from '../../../src/core/schema';
import { openDuckdb } from '../../score/duckdb';

const [input, model = fileURLToPath(new URL('../../../models/model.onnx', import.meta.url))] =
  process.argv.slice(2);
const session = await openDuckdb({ model, input });
try {
  const sums = FEATURE_NAMES.map((n) => `SUM(${n})`).join(' + ');
  const result = await session.connection.runAndReadAll(`SELECT COUNT(*), ${sums} FROM customers`);
  console.log(`${input}: ${result.getRows()[0][0]} rows read`);
} finally {
  await session.close();
}
