/**
 * The scoring CLI follows the app's policy on every kind of file: each small entry of the bad-file corpus gets
 * the outcome the README table states (a refusal leaves no output; a scored file has its rows and exact ids),
 * and each shared real-world case scores exactly like its plain twin (to 1e-6) and says how it was read.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { badFiles, type Expected } from '../../tests/fixtures/bad-files';
import { caseFiles } from '../../tests/fixtures/cases';
import { scoreFile } from '../score/run';
import { runCli } from '../testing/run-cli';
import { tempDir } from '../testing/csv-fixture';

const model = new URL('../../models/model.onnx', import.meta.url).pathname;
const dir = tempDir('real-files');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** predictions.csv as [id as written, probability] pairs. */
function predictions(path: string): [string, number][] {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  expect(lines[0]).toBe('ID_code,target');
  return lines.slice(1).map((l) => {
    const comma = l.lastIndexOf(',');
    return [l.slice(0, comma), Number(l.slice(comma + 1))];
  });
}

function place(name: string, bytes: Uint8Array | string): { input: string; out: string } {
  const sub = join(dir, `${name.replace(/\W/g, '_')}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(sub);
  const input = join(sub, name);
  writeFileSync(input, bytes);
  return { input, out: join(sub, 'predictions.csv') };
}

/** One scoring run of the CLI's code against what the corpus says must happen. */
async function expectOutcome(expected: Expected, name: string, bytes: Uint8Array, member?: string) {
  const { input, out } = place(name, bytes);
  const run = scoreFile({ model, input, out, member, batchRows: 4 });
  if (expected.outcome === 'refused') {
    const error = (await run.catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(expected.error);
    for (const fragment of expected.message) expect(error.message).toContain(fragment);
    expect(existsSync(out), 'no predictions for a refused file').toBe(false);
    return;
  }
  const result = await run;
  expect(result.rows).toBe(expected.rows);
  const written = predictions(out);
  expect(written).toHaveLength(expected.rows);
  expect(written.map(([id]) => id)).not.toContain('');
  for (const { row, id } of expected.ids ?? []) {
    const safe = /^[=+\-@\t\r]/.test(id) ? `'${id}` : id;
    const quoted = /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
    expect(written[row - 1][0]).toBe(quoted);
  }
  const notes = result.notes.join(' ');
  for (const fragment of expected.notes ?? []) expect(notes).toContain(fragment);
  for (const note of expected.sourceNotes ?? []) expect(result.notes).toContain(note);
  for (const fragment of expected.warning ?? []) expect(notes).toContain(fragment);
  if (!expected.warning) expect(notes).not.toMatch(/holds? no number/);
  // Every kind the page lists, bad targets too: the CLI evaluates a labelled file as the page does.
  const kinds = new Set(expected.issues.map((i) => i.kind));
  expect(new Set(Object.keys(result.issues.byKind).filter((k) => k !== 'duplicate-id'))).toEqual(kinds);
}

describe('the bad-file corpus through the scoring CLI (in-process)', () => {
  for (const file of badFiles().filter((f) => f.bytes !== undefined)) {
    it(`${file.key} -> ${file.expected.outcome}`, async () => {
      // Scored with the built-in model, as the page scores it (appExpected: where the model's card matters).
      await expectOutcome(file.appExpected ?? file.expected, file.fileName, file.bytes!);
      // A zip of several tables: with --member, the one the app would score once picked.
      if (file.chooser) await expectOutcome(file.chooser.then, file.fileName, file.bytes!, file.chooser.pick);
    });
  }
});

describe('real-world cases through the scoring CLI', () => {
  for (const c of caseFiles()) {
    it(`${c.name}: scored like its plain twin, and says how it was read`, { timeout: 60_000 }, async () => {
      const it = place(c.name, c.bytes);
      const r = runCli('training/cli/score.ts', ['--model', model, '--in', it.input, '--out', it.out]);
      expect(r.code, r.stderr).toBe(0);
      for (const fragment of c.notes) expect(r.stderr).toContain(fragment);
      const plain = place(`plain-${c.name}`, c.plain);
      await scoreFile({ model, input: plain.input, out: plain.out });
      const got = predictions(it.out);
      const want = predictions(plain.out);
      expect(got).toHaveLength(c.rows);
      expect(got.map(([id]) => id)).toEqual(want.map(([id]) => id));
      got.forEach(([, p], i) => expect(Math.abs(p - want[i][1])).toBeLessThanOrEqual(1e-6));
    });
  }
});
