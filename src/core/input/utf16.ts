/**
 * UTF-16 text (Excel's "Unicode text": UTF-16 LE with a byte order mark, tab-separated) as UTF-8 bytes, chunk
 * by chunk, so the CSV reader reads it like any other file. The byte order mark is dropped; a code unit cut
 * between two chunks, or a surrogate pair, is carried to the next chunk by the decoder.
 */
import { FileError } from './types';

/**
 * The UTF-8 bytes of UTF-16 chunks (`endian` from the byte order mark, which is skipped). Rejects with a
 * FileError naming about where, when the bytes are not valid UTF-16 (a lone surrogate, an odd byte at the end).
 */
export async function* utf16ToUtf8(
  chunks: AsyncIterable<Uint8Array>,
  endian: 'le' | 'be',
): AsyncGenerator<Uint8Array> {
  // fatal: a lone surrogate is an error, never a U+FFFD in an id; the BOM is stripped (ignoreBOM: false).
  const decoder = new TextDecoder(endian === 'le' ? 'utf-16le' : 'utf-16be', { fatal: true });
  const encoder = new TextEncoder();
  let at = 0;
  const fail = (): never => {
    throw new FileError(
      `It is UTF-16 text, but the bytes near byte ${at.toLocaleString('en-US')} are not valid UTF-16: save it again as "CSV UTF-8".`,
      'damaged',
    );
  };
  for await (const chunk of chunks) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      fail();
    }
    at += chunk.length;
    if (text!.length > 0) yield encoder.encode(text!);
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    fail();
  }
  if (rest!.length > 0) yield encoder.encode(rest!);
}
