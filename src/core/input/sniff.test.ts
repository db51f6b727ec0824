import { describe, expect, it } from 'vitest';
import { sniff } from './sniff';

const bytes = (text: string) => new TextEncoder().encode(text);
const utf16 = (text: string, le: boolean) =>
  Uint8Array.from([...text].flatMap((c) => (le ? [c.charCodeAt(0), 0] : [0, c.charCodeAt(0)])));

describe('sniff', () => {
  it('tells UTF-16 without a byte order mark from its zero high bytes, in either byte order', () => {
    expect(sniff(utf16('ID_code\t', true))).toBe('utf16le');
    expect(sniff(utf16('ID_code\t', false))).toBe('utf16be');
    expect(sniff(utf16('sep=\t\r\n', true))).toBe('utf16le');
  });

  it('does not take UTF-8 text, short heads or binary bytes with zeros for UTF-16', () => {
    expect(sniff(bytes('ID_code,var_0'))).toBe('text');
    // Fewer than four code units: too little to tell.
    expect(sniff(utf16('ID', true))).toBe('text');
    // Zeros, but not every other byte of printable text.
    expect(sniff(Uint8Array.from([0x49, 0, 0, 0x44, 0x5f, 0, 0x63, 0]))).toBe('text');
    expect(sniff(Uint8Array.from([0x01, 0, 0x02, 0, 0x03, 0, 0x04, 0]))).toBe('text');
    // A byte order mark still decides first.
    expect(sniff(Uint8Array.from([0xff, 0xfe, 0x49, 0, 0x44, 0, 0x5f, 0]))).toBe('utf16le');
  });
});
