/**
 * Parsing and scoring as two stages that can run in two threads: the reader's batches travel with the issues
 * found in them, and a bounded queue lets the reader run a few batches ahead of the model (memory stays bounded).
 */
import { parseCsv } from '../csv';
import type { ParseInfo, ParseOptions, ParseSummary, RowBatch, RowIssue } from '../csv/types';

/** Detaches a buffer so its memory goes back at once (ArrayBuffer.prototype.transfer, where available). */
export function release(buffer: ArrayBufferLike): void {
  const b = buffer as ArrayBufferLike & { transfer?: (length: number) => ArrayBuffer; detached?: boolean };
  if (typeof b.transfer === 'function' && !b.detached) b.transfer(0);
}

/** One step of the reader's output: the issues found since the last step, then a batch (null at the very end). */
export interface ParsedItem {
  issues: RowIssue[];
  batch: RowBatch | null;
  /** File bytes read so far. */
  bytes: number;
}

/** Where a reader's output goes. */
export interface ParsedSink {
  onInfo?(info: ParseInfo): void;
  /** Awaited: the reader waits while the consumer has no room. */
  onItem(item: ParsedItem): Promise<void>;
  /** Everything received so far is void: the file is being read again. */
  onRestart(): void;
}

/**
 * Milliseconds the reading thread spent on one file (bench:browser prints them beside the scorer's ScoreTimings):
 * where a slow read comes from.
 */
export interface ReaderTimings {
  /** Waiting for bytes: the file's (a BYOB read), or an unzip worker's inflated pieces. */
  read: number;
  /** Handing batches on: waiting for the scorer to take them (its room, or its answer). */
  handing: number;
  /** The rest of the reading thread's time on the file: parsing, the line index, gunzip, copying batches. */
  parse: number;
  /** A zip member's unzip worker, when it had one. */
  unzip?: UnzipTimings;
}

/**
 * Milliseconds of an unzip worker on one member: from the request to the last piece sent, of which waiting for
 * the member's next unpacked chunk (reading the archive and inflating) and waiting for a piece to come back (the
 * reader is behind).
 */
export interface UnzipTimings {
  total: number;
  unpack: number;
  room: number;
}

/** A file reader: feeds a sink, resolves with the reader's summary. */
export type BatchSource = (sink: ParsedSink) => Promise<ParseSummary>;

/** Settings for reading in this thread. */
export interface LocalSourceOptions {
  batchRows?: number;
  signal?: AbortSignal;
  /** File bytes read so far (the caller may count compressed bytes). */
  bytesRead?: () => number;
  /** Recycled buffers for the batches' features (ParseOptions.featureBuffer). */
  featureBuffer?: (bytes: number) => ArrayBuffer | undefined;
}

/** parseCsv in this thread, with each batch's issues gathered into its item. */
export function localSource(
  open: () => AsyncIterable<Uint8Array>,
  options: LocalSourceOptions = {},
): BatchSource {
  return tableSource((parse) => parseCsv(open, parse), options);
}

/**
 * A table reader with parseCsv's contract (src/core/input's Table.read, or parseCsv itself) run in this thread,
 * with each batch's issues gathered into its item.
 */
export function tableSource(
  read: (options: ParseOptions) => Promise<ParseSummary>,
  options: LocalSourceOptions = {},
): BatchSource {
  return async (sink) => {
    let issues: RowIssue[] = [];
    let bytes = 0;
    const bytesRead = options.bytesRead ?? (() => bytes);
    const summary = await read({
      batchRows: options.batchRows,
      signal: options.signal,
      featureBuffer: options.featureBuffer,
      onInfo: (info) => sink.onInfo?.(info),
      onProgress: (n) => (bytes = n),
      onIssue: (issue) => issues.push(issue),
      onRestart: () => {
        issues = [];
        sink.onRestart();
      },
      onBatch: async (batch) => {
        const item = { issues, batch, bytes: bytesRead() };
        issues = [];
        await sink.onItem(item);
      },
    });
    if (issues.length > 0) await sink.onItem({ issues, batch: null, bytes: bytesRead() });
    return summary;
  };
}

/**
 * Runs an async consumer over items in order while the producer goes on, up to `depth` items ahead.
 * `push` resolves once there is room; after a consumer error, `push` and `drain` reject with that error.
 */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private running = false;
  private failure: { error: unknown } | null = null;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly consume: (item: T) => Promise<void>,
    private readonly depth: number,
  ) {
    if (!(depth >= 1)) throw new RangeError('depth must be at least 1');
  }

  /** Queues an item; resolves when the queue has room for the next one. */
  async push(item: T): Promise<void> {
    this.check();
    this.items.push(item);
    if (!this.running) void this.run();
    while (this.items.length >= this.depth && !this.failure) await this.wait();
    this.check();
  }

  /** Resolves when every queued item has been consumed. */
  async drain(): Promise<void> {
    while ((this.running || this.items.length > 0) && !this.failure) await this.wait();
    this.check();
  }

  /** Drops the queued items (the item being consumed finishes). */
  clear(): void {
    this.items.length = 0;
    this.wake();
  }

  private check(): void {
    if (this.failure) throw this.failure.error;
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.items.length > 0) {
        const item = this.items.shift()!;
        this.wake(); // room for one more
        await this.consume(item);
      }
    } catch (error) {
      this.failure = { error };
      this.items.length = 0;
    } finally {
      this.running = false;
      this.wake();
    }
  }
}

/**
 * Sends items to a sink in another thread without waiting for each answer: up to `maxInFlight` calls may be
 * unanswered before `send` waits for the oldest. The sink still applies its own backpressure (it answers once it
 * has room); what this saves is the wait for each answer while the other thread finishes its current task. Calls
 * reach the sink in order (one message channel).
 */
export class InFlight {
  private readonly pending: Promise<void>[] = [];

  constructor(private readonly maxInFlight: number) {
    if (!(maxInFlight >= 1)) throw new RangeError('maxInFlight must be at least 1');
  }

  /** Starts a call; resolves once fewer than `maxInFlight` calls are unanswered. Rejects with a failed call's error. */
  async send(call: () => Promise<void>): Promise<void> {
    const answer = call();
    // Handled here so an error that arrives before it is awaited is not reported as unhandled; awaited below.
    answer.catch(() => {});
    this.pending.push(answer);
    while (this.pending.length >= this.maxInFlight) await this.pending.shift();
  }

  /** Resolves when every call has been answered; rejects with the first error. */
  async settle(): Promise<void> {
    while (this.pending.length > 0) await this.pending.shift();
  }
}
