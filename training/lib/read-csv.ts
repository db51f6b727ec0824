/** Node side of the CSV reader: files (plain or .gz) as byte streams for parseCsv, errors naming the file. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { parseCsv, type ParseOptions, type ParseSummary } from '../../src/core/csv/index';

// Larger than the 64 KiB default: fewer chunk joins on the fast path.
const CHUNK_BYTES = 256 * 1024;

async function* gunzipped(path: string): AsyncGenerator<Uint8Array> {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  // pipe() does not forward a read error: without this a failing file would leave the gunzip waiting forever.
  file.on('error', (error) => gunzip.destroy(error));
  file.pipe(gunzip);
  try {
    yield* gunzip;
  } finally {
    file.destroy();
    gunzip.destroy();
  }
}

/** The `open` function parseCsv wants for a file; a `.gz` name is gunzipped on the fly. */
export function openFile(path: string): () => AsyncIterable<Uint8Array> {
  return () =>
    path.endsWith('.gz') ? gunzipped(path) : createReadStream(path, { highWaterMark: CHUNK_BYTES });
}

function describe(error: unknown, path: string): unknown {
  if (!(error instanceof Error) || error.name === 'AbortError') return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') error.message = `${path}: no such file.`;
  else if (code === 'EISDIR') error.message = `${path}: is a directory, not a CSV file.`;
  else if (code?.startsWith('Z_')) error.message = `${path}: not a valid gzip file (${error.message}).`;
  else error.message = `${path}: ${error.message}`;
  return error;
}

/** parseCsv over a file; every error keeps its class (CsvError, SchemaError, ...) and starts with the path. */
export async function readCsvFile(path: string, options: ParseOptions): Promise<ParseSummary> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return await parseCsv(openFile(path), options);
  } catch (error) {
    throw describe(error, path);
  }
}
