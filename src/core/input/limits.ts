/**
 * What the reader refuses to unpack, and why these numbers. A customer file of 4-decimal numbers packs about
 * 2.3-2.6x with deflate (gzip and zip alike: 301 MB -> 128 MB for the 200,000-row synthetic test table); even a
 * file of mostly empty cells stays far below 100x. Deflate can reach about 1,032x, which is what zip bombs use.
 */
import { FileError } from './types';

/** Unpacked bytes per packed byte beyond which a large member or stream is taken for a zip bomb. */
const MAX_RATIO = 100;
/** Below this many unpacked bytes the ratio is not checked: a small file cannot hurt, however well it packs. */
const RATIO_FREE_BYTES = 64 * 2 ** 20;
/**
 * Largest unpacked table read from a container: 16 GiB, about 11 million rows of this layout (55 times Kaggle's
 * test set). Streaming keeps memory flat at any size; this bounds the time a malicious archive can take.
 */
const MAX_UNPACKED_BYTES = 16 * 2 ** 30;
/** Largest Parquet (or other random-access content) unpacked into memory from a zip or gzip: 512 MiB. */
export const MAX_IN_MEMORY_BYTES = 512 * 2 ** 20;
/** Entries a zip may list: Kaggle's archives hold a handful; a million-entry directory is an attack. */
export const MAX_ZIP_ENTRIES = 10_000;

/** "80 MiB", "226 KiB". */
const mib = (n: number) =>
  n >= 2 ** 20 ? `${Math.round(n / 2 ** 20).toLocaleString('en-US')} MiB` : `${Math.ceil(n / 1024)} KiB`;

/** Refuses unpacked sizes and ratios beyond the limits; `what` names the member or file. */
export function checkExpansion(what: string, packed: number, unpacked: number): void {
  if (unpacked > MAX_UNPACKED_BYTES) {
    throw new FileError(
      `${what} unpacks to ${mib(unpacked)}, more than the ${mib(MAX_UNPACKED_BYTES)} this app reads from an archive: unpack it and pick the file itself.`,
      'too-large',
    );
  }
  if (unpacked > RATIO_FREE_BYTES && unpacked > MAX_RATIO * Math.max(1, packed)) {
    throw new FileError(
      `${what} unpacks to ${mib(unpacked)} from ${mib(packed)} (${Math.round(unpacked / Math.max(1, packed))} times its packed size; a customer file packs about 2-3 times): this looks like a zip bomb, so it is not unpacked.`,
      'zip-bomb',
    );
  }
}

/**
 * Passes unpacked chunks through while checking the expansion as they come: `packed()` is the packed bytes read
 * so far. Catches what a declared size cannot: a stream (gzip) declares none, a zip member may lie.
 */
export async function* guardExpansion(
  what: string,
  chunks: AsyncIterable<Uint8Array>,
  packed: () => number,
  declared?: number,
): AsyncGenerator<Uint8Array> {
  let unpacked = 0;
  for await (const chunk of chunks) {
    unpacked += chunk.length;
    if (declared !== undefined && unpacked > declared) {
      throw new FileError(
        `${what} unpacks to more bytes than the archive declares (${declared.toLocaleString('en-US')}): the archive is damaged or crafted, so it is not read on.`,
        'damaged',
      );
    }
    checkExpansion(what, packed(), unpacked);
    yield chunk;
  }
}
