/**
 * Property tests: the fast path gives exactly what the papaparse path gives (ids, features bit for bit, targets,
 * issues, batches), on random valid files cut into random chunks (ids in UTF-8, Windows-1252 or random bytes,
 * row by row; lines above the header; empty lines; rows without an id); a Windows-1252 file reads as its UTF-8
 * twin; and random or mutated bytes always end in a summary or a clean CsvError/SchemaError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, SchemaError } from '../schema';
import { collect, openBytes, type Collected } from './collect';
import { CsvError, type ParseOptions } from './index';

const encoder = new TextEncoder();
const utf8 = (s: string) => encoder.encode(s);

// ---- cells -----------------------------------------------------------------------------------------------

const digitChar = fc.constantFrom(...'0123456789');
const digits = (maxLength: number) => fc.string({ unit: digitChar, minLength: 1, maxLength });
const sign = fc.constantFrom('', '', '-', '+');

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Decimal texts close to the midpoint of two neighbouring float32 values, as `d.ddd` or `ddde±k`: where an error
 * of one double ulp changes the float32 result, so an inexact fast path shows.
 */
const nearTie = fc
  .tuple(
    sign,
    fc.float({ noNaN: true, noDefaultInfinity: true, min: 0 }),
    fc.integer({ min: 1, max: 19 }),
    fc.boolean(),
  )
  .map(([s, f, precision, integerForm]) => {
    f32[0] = f;
    u32[0] += 1;
    const mid = (f + f32[0]) / 2;
    if (!Number.isFinite(mid)) return `${s}1e39`;
    if (!integerForm) return s + mid.toPrecision(precision);
    const [mantissa, exponent] = mid.toExponential(precision - 1).split('e');
    return `${s}${mantissa.replace('.', '')}e${Number(exponent) - (precision - 1)}`;
  });

/** Texts that follow the number grammar, with the shapes real files and edge cases have. */
const numberText = fc.oneof(
  { weight: 3, arbitrary: nearTie },
  { weight: 6, arbitrary: fc.integer({ min: -400_000, max: 400_000 }).map((n) => (n / 1e4).toFixed(4)) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
  { weight: 2, arbitrary: fc.tuple(sign, digits(20), digits(20)).map(([s, a, b]) => `${s}${a}.${b}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(sign, digits(17), fc.option(digits(8)), fc.constantFrom('e', 'E'), sign, digits(4))
      .map(([s, a, b, e, es, x]) => `${s}${a}${b === null ? '' : `.${b}`}${e}${es}${x}`),
  },
  { weight: 1, arbitrary: fc.tuple(sign, digits(8)).map(([s, d]) => `${s}.${d}`) },
  { weight: 1, arbitrary: fc.tuple(sign, digits(8)).map(([s, d]) => `${s}${d}.`) },
  { weight: 1, arbitrary: fc.tuple(sign, fc.integer({ min: 0, max: 400 })).map(([s, e]) => `${s}1e${e}`) },
  {
    weight: 1,
    arbitrary: fc.tuple(sign, fc.integer({ min: 0, max: 400 })).map(([s, e]) => `${s}9.99e-${e}`),
  },
);

const badText = fc.oneof(
  fc.constantFrom(
    '',
    'NaN',
    'nan',
    'inf',
    '-Infinity',
    '1e400',
    '1e39',
    '-3.4028236e38',
    '3.4028234e38',
    'abc',
    '.',
    '-',
    '+',
    'e5',
    '1e',
    '1e+',
    '0x1A',
    '١٢',
    '1.2.3',
    '--1',
    '\r',
    ' ',
    'x'.repeat(80),
  ),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

const spaced = fc
  .tuple(fc.constantFrom(' ', '\t', '  '), numberText, fc.constantFrom('', ' ', '\t'))
  .map(([a, n, b]) => `${a}${n}${b}`);

const featureText = fc.oneof(
  { weight: 20, arbitrary: numberText },
  { weight: 2, arbitrary: badText },
  { weight: 1, arbitrary: spaced },
);
const targetText = fc.constantFrom('0', '1', '0', '1', '1.0', '-0', '2', '', 'x', ' 1', '1e0', '0.5');

/** Windows-1252 bytes of a text made of Latin-1 letters and the few 0x80-0x9F characters below. */
const CP1252_HIGH: Record<string, number> = { '€': 0x80, '’': 0x92, Œ: 0x8c, '™': 0x99 };
function cp1252(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => CP1252_HIGH[ch] ?? ch.charCodeAt(0));
}
/** Id text a Windows-1252 file may hold (what Excel on Windows writes). */
const westernText = fc.string({ unit: fc.constantFrom(...'aZ_1 .éëüßàçøñÉ€’Œ™'), maxLength: 8 });

/** Ids as strings or as raw bytes: UTF-8, Windows-1252 (so a file may mix the two), or random bytes. */
const idBytes = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 10 }).map(utf8),
  fc.string({ unit: 'binary', maxLength: 6 }).map(utf8),
  fc.uint8Array({ maxLength: 8 }),
  fc.nat(999_999).map((n) => utf8(`train_${n}`)),
  westernText.map(cp1252),
  westernText.map(utf8),
);

/** Lines a file may have above its header: Excel's separator hint, titles, comments, blank lines. */
const preambleLine = fc.constantFrom(
  'sep=,',
  'Santander export, 2024-05-01',
  '# a comment',
  '',
  ',,,',
  'Report',
);

// ---- files -----------------------------------------------------------------------------------------------

interface FileSpec {
  order: number;
  hasTarget: boolean;
  extras: number;
  bom: boolean;
  preamble: readonly string[];
  rows: {
    /** row: a data row; empty: a line with no value (separators or spaces); noId: values but no id. */
    shape: 'row' | 'empty' | 'noId';
    id: Uint8Array;
    target: string;
    /** A small pool the 200 features draw from (generating 200 cells per row makes runs slow). */
    pool: string[];
    pick: number;
    fieldDelta: number;
    crlf: boolean;
    blankBefore: boolean;
  }[];
  trailing: string;
}

const fileSpec: fc.Arbitrary<FileSpec> = fc.record({
  order: fc.nat(),
  hasTarget: fc.boolean(),
  extras: fc.nat(2),
  bom: fc.boolean(),
  preamble: fc.oneof(
    { weight: 3, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: fc.array(preambleLine, { maxLength: 3 }) },
  ),
  rows: fc.array(
    fc.record({
      shape: fc.oneof(
        { weight: 10, arbitrary: fc.constant('row' as const) },
        { weight: 1, arbitrary: fc.constant('empty' as const) },
        { weight: 1, arbitrary: fc.constant('noId' as const) },
      ),
      id: idBytes,
      target: targetText,
      pool: fc.array(featureText, { minLength: 1, maxLength: 12 }),
      pick: fc.nat(),
      fieldDelta: fc.oneof(
        { weight: 8, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: -205, max: -1 }) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
      ),
      crlf: fc.boolean(),
      blankBefore: fc.oneof(
        { weight: 3, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
    }),
    { maxLength: 6 },
  ),
  trailing: fc.constantFrom('', '\n', '\r\n', '\n\n', '\r\n\r\n\n'),
});

/** A tiny seeded generator, so a spec always builds the same bytes. */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function buildFile(spec: FileSpec): Uint8Array {
  const rand = lcg(spec.order);
  const columns = ['ID_code', ...(spec.hasTarget ? ['target'] : []), ...FEATURE_NAMES];
  for (let k = 0; k < spec.extras; k++) columns.push(`extra_${k}`);
  for (let i = columns.length - 1; i > 0; i--) {
    const j = rand() % (i + 1);
    [columns[i], columns[j]] = [columns[j], columns[i]];
  }
  const parts: Uint8Array[] = [];
  if (spec.bom) parts.push(Uint8Array.from([0xef, 0xbb, 0xbf]));
  for (const line of spec.preamble) parts.push(utf8(`${line}\n`));
  parts.push(utf8(columns.join(',') + '\n'));
  const comma = utf8(',');
  spec.rows.forEach((row, r) => {
    if (row.blankBefore) parts.push(utf8(row.crlf ? '\r\n' : '\n'));
    const pick = lcg(row.pick);
    if (row.shape === 'empty') {
      parts.push(utf8(pick() % 2 ? ','.repeat(pick() % (columns.length + 2)) : ' \t'));
      if (r < spec.rows.length - 1) parts.push(utf8(row.crlf ? '\r\n' : '\n'));
      return;
    }
    const cells: Uint8Array[] = columns.map((name) =>
      name === 'ID_code'
        ? row.shape === 'noId'
          ? new Uint8Array(0)
          : row.id
        : name === 'target'
          ? utf8(row.target)
          : name.startsWith('extra')
            ? utf8(`e${pick() % 100}`)
            : utf8(row.pool[pick() % row.pool.length]),
    );
    const count = Math.max(1, cells.length + row.fieldDelta);
    while (cells.length < count) cells.push(utf8(`${pick() % 10}`));
    cells.length = count;
    cells.forEach((cell, c) => {
      if (c > 0) parts.push(comma);
      parts.push(cell);
    });
    const last = r === spec.rows.length - 1;
    if (!last) parts.push(utf8(row.crlf ? '\r\n' : '\n'));
  });
  parts.push(utf8(spec.trailing));
  return join(parts);
}

const cuts = fc.array(fc.nat(), { maxLength: 12 });

// ---- comparing outcomes ----------------------------------------------------------------------------------

type Outcome = { ok: true; result: Collected } | { ok: false; error: unknown };

async function run(
  bytes: Uint8Array,
  at: number[],
  options: Omit<ParseOptions, 'onBatch'>,
): Promise<Outcome> {
  try {
    const points = at.map((c) => c % (bytes.length + 1));
    return { ok: true, result: await collect(openBytes(bytes, points), options) };
  } catch (error) {
    return { ok: false, error };
  }
}

function clean(outcome: Outcome): void {
  if (!outcome.ok && !(outcome.error instanceof CsvError) && !(outcome.error instanceof SchemaError)) {
    throw outcome.error;
  }
}

function firstDifference(a: Float32Array, b: Float32Array): number {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

function expectSame(fast: Outcome, papa: Outcome): void {
  if (!fast.ok || !papa.ok) {
    expect(fast.ok).toBe(papa.ok);
    const e1 = (fast as { error: Error }).error;
    const e2 = (papa as { error: Error }).error;
    expect(e1.constructor).toBe(e2.constructor);
    expect(e1.message).toBe(e2.message);
    return;
  }
  const a = fast.result;
  const b = papa.result;
  expect({ ...a.summary, parser: '' }).toEqual({ ...b.summary, parser: '' });
  expect(a.ids).toEqual(b.ids);
  expect(a.features.length).toBe(b.features.length);
  expect(firstDifference(a.features, b.features)).toBe(-1);
  expect(a.targets).toEqual(b.targets);
  expect(a.issues).toEqual(b.issues);
  expect(a.batchSizes).toEqual(b.batchSizes);
  expect(a.firstRows).toEqual(b.firstRows);
}

const hasQuote = (bytes: Uint8Array) => bytes.includes(34);

// ---- properties ------------------------------------------------------------------------------------------

describe('fast path = papaparse path', () => {
  it('on random valid files, cut into random chunks, in batches of any size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fileSpec,
        cuts,
        cuts,
        fc.integer({ min: 1, max: 4 }),
        async (spec, cutsA, cutsB, batch) => {
          const bytes = buildFile(spec);
          const fast = await run(bytes, cutsA, { batchRows: batch });
          const papa = await run(bytes, cutsB, { batchRows: batch, parser: 'papaparse' });
          if (!hasQuote(bytes) && fast.ok) expect(fast.result.summary.parser).toBe('fast');
          expectSame(fast, papa);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads every number as Math.fround(Number(text))', async () => {
    const header = utf8(['ID_code', ...FEATURE_NAMES].join(',') + '\n');
    await fc.assert(
      fc.asyncProperty(fc.array(numberText, { minLength: 200, maxLength: 200 }), cuts, async (cells, at) => {
        const bytes = join([header, utf8(`x,${cells.join(',')}\n`)]);
        const fast = await run(bytes, at, {});
        if (!fast.ok) throw fast.error;
        cells.forEach((text, j) => {
          const expected = Math.fround(Number(text));
          const got = fast.result.features[j];
          if (Number.isFinite(expected)) expect(Object.is(got, expected), `${text} -> ${got}`).toBe(true);
          else expect(got).toBeNaN();
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('Windows-1252', () => {
  const isUtf8 = (bytes: Uint8Array) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      return true;
    } catch {
      return false;
    }
  };

  it('a Windows-1252 file reads as its UTF-8 twin (or is refused when an id reads as UTF-8 too)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fileSpec,
        fc.array(westernText, { minLength: 1, maxLength: 6 }),
        cuts,
        async (spec, names, at) => {
          // ASCII cells only: the ids carry the encoding.
          const ascii = (text: string) => ([...text].every((c) => c.charCodeAt(0) < 0x80) ? text : 'abc');
          const twin = (encode: (text: string) => Uint8Array): FileSpec => ({
            ...spec,
            rows: spec.rows.map((row, i) => ({
              ...row,
              id: encode(names[i % names.length]),
              pool: row.pool.map(ascii),
            })),
          });
          const windows = buildFile(twin(cp1252));
          // Bytes that happen to be valid UTF-8 are read as UTF-8, as they must be.
          if (isUtf8(windows)) return;
          const got = await run(windows, at, { batchRows: 2 });
          const want = await run(buildFile(twin(utf8)), [], { batchRows: 2 });
          clean(got);
          if (!got.ok && (got.error as CsvError).code === 'mixed-encoding') return;
          expect(got.ok).toBe(want.ok);
          if (!got.ok || !want.ok) {
            expect((got as { error: Error }).error.message).toBe((want as { error: Error }).error.message);
            return;
          }
          const a = got.result;
          const b = want.result;
          expect(a.summary.encoding).toBe('windows-1252');
          const same = ({ encoding: _e, bytes: _b, parser: _p, ...rest }: typeof a.summary) => rest;
          expect(same(a.summary)).toEqual(same(b.summary));
          expect(a.ids).toEqual(b.ids);
          expect(firstDifference(a.features, b.features)).toBe(-1);
          expect(a.issues).toEqual(b.issues);
          expect(a.batchSizes).toEqual(b.batchSizes);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('fuzz: every input ends in a summary or a clean error', () => {
  const header = utf8(['ID_code', 'target', ...FEATURE_NAMES].join(',') + '\n');
  const limit = fc.constantFrom(undefined, undefined, 2500, 1400);

  /** Both parsers end cleanly; without quotes (and the default line limit) they agree. */
  async function check(bytes: Uint8Array, at: number[], maxLineBytes?: number): Promise<void> {
    const fast = await run(bytes, at, { batchRows: 2, maxLineBytes });
    const papa = await run(bytes, [], { batchRows: 2, maxLineBytes, parser: 'papaparse' });
    clean(fast);
    clean(papa);
    if (!hasQuote(bytes) && maxLineBytes === undefined) expectSame(fast, papa);
  }

  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), cuts, (bytes, at) => check(bytes, at)),
      { numRuns: 3000, timeout: 2000 },
    );
  });

  it('a valid header followed by random bytes or text', async () => {
    const tail = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.string({ unit: fc.constantFrom(...'0123456789.,-+eE \t\r\n"x;'), maxLength: 3000 }).map(utf8),
    );
    await fc.assert(
      fc.asyncProperty(tail, cuts, limit, (bytes, at, max) => check(join([header, bytes]), at, max)),
      { numRuns: 3000, timeout: 2000 },
    );
  });

  it('random mutations of valid files', async () => {
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('flip', 'insert', 'delete', 'truncate', 'quote', 'newline', 'comma'),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }),
      length: fc.nat(300),
    });
    await fc.assert(
      fc.asyncProperty(
        fileSpec,
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        cuts,
        limit,
        async (spec, mutations, at, max) => {
          let bytes = buildFile(spec);
          for (const m of mutations) {
            const i = m.at % (bytes.length + 1);
            const before = bytes.subarray(0, i);
            const after = bytes.subarray(i);
            if (m.kind === 'flip' && i < bytes.length) (bytes = bytes.slice())[i] ^= m.bytes[0] || 1;
            else if (m.kind === 'insert') bytes = join([before, m.bytes, after]);
            else if (m.kind === 'delete') bytes = join([before, bytes.subarray(i + m.length)]);
            else if (m.kind === 'truncate') bytes = bytes.slice(0, i);
            else if (m.kind === 'quote') bytes = join([before, utf8('"'), after]);
            else if (m.kind === 'newline') bytes = join([before, utf8(m.length % 2 ? '\r\n' : '\n'), after]);
            else if (m.kind === 'comma') bytes = join([before, utf8(','), after]);
          }
          await check(bytes, at, max);
        },
      ),
      { numRuns: 4500, timeout: 2000 },
    );
  });
});
