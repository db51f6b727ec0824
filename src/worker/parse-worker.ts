/**
 * The reading worker: streams the File through the CSV reader and hands each batch (transferred, not copied) to
 * the scoring worker, so reading the next batch overlaps scoring the last one on a second core.
 */
import * as Comlink from 'comlink';
import type { ParseSummary } from '../core/csv/types';
import { idBuffers } from '../core/ids';
import { InFlight, type ParsedItem, type ParsedSink, type ReaderTimings } from '../core/scoring/pipeline';
import type { LineIndex } from '../core/insights/line-index';
import type { ReadClock } from './file-access';
import { fileBatches, openIndexed } from './file-bytes';

/**
 * Buffers that went to the scoring worker and came back. A buffer received from another thread is only freed
 * when the collector gets to the message that carried it, so fresh buffers per batch pile up (about the size of
 * all features, 160 MB for 200,000 rows): a few buffers going round keep that flat.
 */
const pool: ArrayBuffer[] = [];
const POOL_SIZE = 6;
/**
 * Batches handed to the scoring worker before its answer is awaited. Awaiting each answer left this worker idle
 * while the scorer finished its current task (0.38-0.39 of 1.46-1.49 s for 301 MB); with 2 in flight the file
 * took 1.38-1.80 s against 1.72-2.07 s, alternating builds in one bench:browser session.
 */
const MAX_IN_FLIGHT = 2;

/** A buffer from the pool for the reader's next batch (a full batch's size; any other size is dropped). */
function recycled(bytes: number): ArrayBuffer | undefined {
  const buffer = pool.pop();
  return buffer?.byteLength === bytes ? buffer : undefined;
}

/**
 * The item with its batch's buffers transferred, not copied: the reader starts each batch in a buffer of its own
 * (from the pool, or fresh), and a short last batch is an exact-size copy.
 */
function transferable(item: ParsedItem): ParsedItem {
  const batch = item.batch;
  if (!batch) return item;
  const features = batch.features.buffer;
  const targets = batch.targets?.buffer;
  return Comlink.transfer(item, [
    ...(features instanceof ArrayBuffer ? [features] : []),
    ...idBuffers(batch.ids),
    ...(targets instanceof ArrayBuffer ? [targets] : []),
  ]);
}

const api = {
  /** Answers while this worker is alive (it reads in small steps, so it answers between chunks). */
  ping(): true {
    return true;
  },

  /** Takes back a features buffer the scoring worker is done with. */
  recycle(buffer: ArrayBuffer): void {
    if (pool.length < POOL_SIZE && buffer.byteLength > 0) pool.push(buffer);
  },

  /**
   * Reads the table in a file (CSV, gzip, zip `member`, Parquet, UTF-16: see src/core/input) into `sink`. The
   * caller has opened it once already, so a zip member to choose is known. A plain CSV's line starts are
   * recorded as it is read (lineIndex; null for any other kind of file).
   */
  async parse(
    file: File,
    member: string | undefined,
    sink: ParsedSink,
  ): Promise<{ summary: ParseSummary; lineIndex: LineIndex | null; timings: ReaderTimings }> {
    const started = performance.now();
    const clock: ReadClock = { read: 0 };
    let handing = 0;
    const flight = new InFlight(MAX_IN_FLIGHT);
    const opened = await openIndexed(file, member, clock);
    const batches = fileBatches(opened.table, recycled);
    const summary = await batches({
      onItem: async (item) => {
        const asked = performance.now();
        await flight.send(() => sink.onItem(transferable(item)));
        handing += performance.now() - asked;
      },
      onRestart: () => sink.onRestart(),
    });
    const settling = performance.now();
    await flight.settle();
    handing += performance.now() - settling;
    const parse = performance.now() - started - clock.read - handing;
    return {
      summary,
      lineIndex: opened.lineIndex(),
      timings: { read: clock.read, handing, parse, unzip: clock.unzip },
    };
  },
};

/** The reading worker's interface, as the scoring worker sees it. */
export type ParseWorkerApi = typeof api;

Comlink.expose(api);
