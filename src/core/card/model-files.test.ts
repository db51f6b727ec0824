import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZipWriter, BlobWriter, Uint8ArrayReader } from '@zip.js/zip.js/lib/zip-core-native.js';
import { FittedRows } from '../fit/fitted-rows';
import { sha256Hex } from '../integrity';
import type { ModelCard } from '../model-card';
import {
  archiveName,
  MODEL_FILE_NAMES,
  modelArchive,
  ModelFileError,
  readModelFiles,
  zipEntries,
} from './model-files';

const models = new URL('../../../models/', import.meta.url);
const onnx = new Uint8Array(readFileSync(new URL('model.onnx', models)));
const cardText = readFileSync(new URL('model-card.json', models), 'utf8');
const card = JSON.parse(cardText) as ModelCard;
const markdown = readFileSync(new URL('model-card.md', models), 'utf8');

const blob = (bytes: Uint8Array | string) =>
  new Blob([typeof bytes === 'string' ? bytes : bytes.slice().buffer]);

async function zipOf(entries: [string, Uint8Array | string][]): Promise<Blob> {
  const zip = new ZipWriter(new BlobWriter('application/zip'));
  for (const [name, data] of entries) {
    await zip.add(
      name,
      new Uint8ArrayReader(typeof data === 'string' ? new TextEncoder().encode(data) : data),
    );
  }
  return zip.close();
}

async function refusal(picked: { name: string; blob: Blob }[]): Promise<string> {
  const error = await readModelFiles(picked).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelFileError);
  return (error as Error).message;
}

describe('modelArchive', () => {
  it('holds model.onnx, model-card.json and model-card.md as training writes them, dated by the card', async () => {
    const zip = await modelArchive({ onnx, card, markdown });
    const entries = await zipEntries(zip);
    expect([...entries.keys()]).toEqual(['model.onnx', 'model-card.json', 'model-card.md']);
    expect(Buffer.from(entries.get('model.onnx')!.bytes).equals(Buffer.from(onnx))).toBe(true);
    // The committed card is byte for byte what training wrote: the archive writes it the same way.
    expect(new TextDecoder().decode(entries.get('model-card.json')!.bytes)).toBe(cardText);
    expect(new TextDecoder().decode(entries.get('model-card.md')!.bytes)).toBe(markdown);
    // DOS dates have 2-second steps and no time zone: the same day and minute as the card, in local time.
    const date = entries.get('model.onnx')!.date;
    const created = new Date(card.createdAt);
    expect(Math.abs(date.getTime() - created.getTime())).toBeLessThan(2000);
  });

  it('gives the same bytes for the same model', async () => {
    const a = new Uint8Array(await (await modelArchive({ onnx, card, markdown })).arrayBuffer());
    const b = new Uint8Array(await (await modelArchive({ onnx, card, markdown })).arrayBuffer());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('is named model-<version>.zip', () => {
    expect(archiveName(card)).toBe(`model-${card.version}.zip`);
  });
});

/** A record of fitted rows (of a few made-up rows) and the built-in card describing it. */
async function withRecord(): Promise<{ fittedRows: Uint8Array; card: ModelCard }> {
  const features = new Float32Array(200 * 3).map((_, i) => i / 7);
  const fittedRows = FittedRows.of(features, [0, 1, 2]).bytes();
  const described = {
    file: 'fitted-rows.bin',
    sha256: await sha256Hex(fittedRows),
    bytes: fittedRows.byteLength,
    rows: 3,
    falsePositiveRate: 0.01,
  };
  return { fittedRows, card: { ...card, fittedRows: described } };
}

describe('the record of fitted rows in a model file', () => {
  it('goes in the archive as fitted-rows.bin and comes back, checked against the card', async () => {
    const model = { onnx, markdown, ...(await withRecord()) };
    const zip = await modelArchive(model);
    const entries = await zipEntries(zip);
    expect([...entries.keys()]).toEqual([
      'model.onnx',
      'model-card.json',
      'model-card.md',
      'fitted-rows.bin',
    ]);
    const back = await readModelFiles([{ name: archiveName(card), blob: zip }]);
    expect(back.fittedRows).toEqual(model.fittedRows);
    expect(back.card.fittedRows).toEqual(model.card.fittedRows);
  });

  it('is refused when its SHA-256 is not the card’s: the model is not loaded', async () => {
    const model = { onnx, markdown, ...(await withRecord()) };
    const other = model.fittedRows.slice();
    other[20] ^= 1;
    const zip = await zipOf([
      ['model.onnx', onnx],
      ['model-card.json', JSON.stringify(model.card)],
      ['fitted-rows.bin', other],
    ]);
    expect(await refusal([{ name: 'm.zip', blob: zip }])).toMatch(
      /^m\.zip \(fitted-rows\.bin\) does not match its card: the card describes SHA-256 [0-9a-f]{64}, the file has [0-9a-f]{64} \(\d+ bytes\)\. The model was not loaded\.$/,
    );
  });

  it('is optional: an older zip, or a model picked without it, loads with no record', async () => {
    const old = await readModelFiles([
      { name: 'old.zip', blob: await modelArchive({ onnx, card, markdown }) },
    ]);
    expect(old.fittedRows).toBeUndefined();
    const { card: described } = await withRecord();
    const alone = await readModelFiles([
      { name: 'model.onnx', blob: blob(onnx) },
      { name: 'model-card.json', blob: blob(JSON.stringify(described)) },
    ]);
    expect(alone.fittedRows).toBeUndefined();
    // A fitted-rows.bin the card does not describe cannot be checked: not used.
    const unchecked = await zipOf([
      ['model.onnx', onnx],
      ['model-card.json', JSON.stringify({ ...card, fittedRows: undefined })],
      ['fitted-rows.bin', (await withRecord()).fittedRows],
    ]);
    expect((await readModelFiles([{ name: 'u.zip', blob: unchecked }])).fittedRows).toBeUndefined();
  });
});

describe('readModelFiles', () => {
  it('reads the archive back: the same bytes, card and markdown', async () => {
    const zip = await modelArchive({ onnx, card, markdown });
    const back = await readModelFiles([{ name: archiveName(card), blob: zip }]);
    expect(Buffer.from(back.onnx).equals(Buffer.from(onnx))).toBe(true);
    expect(back.card).toEqual(card);
    expect(back.markdown).toBe(markdown);
  });

  it('reads a zip of a folder (folder/model.onnx) and the files picked one by one', async () => {
    const zip = await zipOf([
      ['my-model/model.onnx', onnx],
      ['my-model/model-card.json', cardText],
      ['my-model/notes.txt', 'hello'],
    ]);
    const fromFolder = await readModelFiles([{ name: 'my-model.zip', blob: zip }]);
    expect(fromFolder.card.version).toBe(card.version);
    const loose = await readModelFiles([
      { name: 'model-card.json', blob: blob(cardText) },
      { name: 'model.onnx', blob: blob(onnx) },
    ]);
    expect(Buffer.from(loose.onnx).equals(Buffer.from(onnx))).toBe(true);
    // Without model-card.md the markdown is rendered from the card.
    expect(loose.markdown).toMatch(new RegExp(`^# Model card: ${card.version}`));
  });

  it('refuses a model whose bytes are not the ones its card describes (one flipped byte)', async () => {
    const flipped = onnx.slice();
    flipped[flipped.length >> 1] ^= 1;
    const message = await refusal([
      {
        name: 'model-x.zip',
        blob: await zipOf([
          ['model.onnx', flipped],
          ['model-card.json', cardText],
        ]),
      },
    ]);
    expect(message).toMatch(
      new RegExp(
        `^model-x\\.zip \\(model\\.onnx\\) does not match its card: the card describes SHA-256 ${card.model.sha256}, ` +
          `the file has [0-9a-f]{64} \\(${onnx.length} bytes\\)\\. The model was not loaded\\.$`,
      ),
    );
  });

  it('refuses a set without a card, a file that is not a model file, and a zip that is not a model', async () => {
    expect(await refusal([{ name: 'model.onnx', blob: blob(onnx) }])).toBe(
      `model.onnx: no ${MODEL_FILE_NAMES.card}. A model needs model.onnx and its model-card.json: pick the ` +
        'model-<version>.zip the app downloads, or both files together.',
    );
    expect(await refusal([{ name: 'train.csv', blob: blob('ID_code,target\n') }])).toMatch(
      /^train\.csv is not one of a model's files: pick model-<version>\.zip, or model\.onnx and model-card\.json/,
    );
    expect(
      await refusal([{ name: 'data.zip', blob: await zipOf([['train.csv', 'ID_code,target\n']]) }]),
    ).toMatch(/^data\.zip: no model\.onnx and no model-card\.json\./);
  });

  it('refuses a malformed card, naming what is wrong', async () => {
    const bad = {
      ...card,
      version: '',
      metrics: { ...card.metrics, holdout: { ...card.metrics.holdout, auc: null } },
    };
    const message = await refusal([
      { name: 'model.onnx', blob: blob(onnx) },
      { name: 'model-card.json', blob: blob(JSON.stringify(bad)) },
    ]);
    expect(message).toMatch(
      /^model-card\.json is not a usable model card: version "" is not a plain version/,
    );
    expect(message).toMatch(/metrics\.holdout\.auc is non-finite/);
    expect(
      await refusal([
        { name: 'model-card.json', blob: blob('{') },
        { name: 'model.onnx', blob: blob(onnx) },
      ]),
    ).toBe('model-card.json is not valid JSON: it is not a model card.');
  });

  it('refuses a card that matches its file but is not a model of this app', async () => {
    const other = new TextEncoder().encode('not an onnx model at all');
    const { sha256Hex } = await import('../integrity');
    const fake = { ...card, model: { ...card.model, sha256: await sha256Hex(other) } };
    const message = await refusal([
      { name: 'model.onnx', blob: blob(other) },
      { name: 'model-card.json', blob: blob(JSON.stringify(fake)) },
    ]);
    expect(message).toMatch(/^model\.onnx is not a model this app can use \(/);
  });
});
