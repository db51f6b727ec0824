/**
 * The reading worker: streams the File through the CSV reader and hands each batch (transferred, not copied) to
 * the scoring worker, so reading the next batch overlaps scoring the last one on a second core.
 */
import * as Comlink from 'comlink';
import type { ParseSummary } from '../core/csv/types';
import { localSource, type ParsedItem, type ParsedSink } from '../core/scoring/pipeline';
import { fileSource, isGzip } from './file-bytes';
import { BATCH_ROWS } from './settings';

function transferable(item: ParsedItem): ParsedItem {
  const buffers = item.batch ? [item.batch.features.buffer, item.batch.targets?.buffer] : [];
  return Comlink.transfer(
    item,
    buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer),
  );
}

const api = {
  /** Answers while this worker is alive (it reads in small steps, so it answers between chunks). */
  ping(): true {
    return true;
  },

  /** Reads a .csv or .csv.gz file into `sink`; resolves with the reader's summary. */
  async parse(file: File, sink: ParsedSink): Promise<ParseSummary> {
    let bytes = 0;
    const open = fileSource(file, await isGzip(file), (n) => (bytes = n));
    return localSource(open, { batchRows: BATCH_ROWS, bytesRead: () => bytes })({
      onItem: (item) => sink.onItem(transferable(item)),
      onRestart: () => sink.onRestart(),
    });
  },
};

/** The reading worker's interface, as the scoring worker sees it. */
export type ParseWorkerApi = typeof api;

Comlink.expose(api);
