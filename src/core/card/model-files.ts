/**
 * A model to take away and bring back: model.onnx, model-card.json, model-card.md and, when the model has one,
 * fitted-rows.bin in one zip (`model-<version>.zip`, unzipped it is what `npm run score --model` and models/
 * take), and the checks that refuse a set whose model or record of fitted rows is not the one its card describes.
 */
import {
  BlobReader,
  BlobWriter,
  configure,
  Uint8ArrayReader,
  Uint8ArrayWriter,
  ZipReader,
  ZipWriter,
} from '@zip.js/zip.js/lib/zip-core-native.js';
import { FITTED_ROWS_FILE, FittedRows, FittedRowsError } from '../fit/fitted-rows';
import { sha256Hex } from '../integrity';
import type { ModelCard } from '../model-card';
import { modelFromOnnx } from '../onnx/export';
import { FEATURE_COUNT } from '../schema';
import { cardProblems } from './card-check';
import { renderCardMarkdown } from './card-markdown';

// No web workers (zip.js would start them from blob: URLs, which the page's CSP forbids); the platform's
// CompressionStream deflates.
configure({ useWebWorkers: false, useCompressionStream: true });

/** The files of a model, as training writes them. */
export interface ModelFiles {
  onnx: Uint8Array;
  card: ModelCard;
  markdown: string;
  /** fitted-rows.bin, the record of the rows it was fitted on (card.fittedRows); absent for older models. */
  fittedRows?: Uint8Array;
}

/** The names inside the archive (and in models/). */
export const MODEL_FILE_NAMES = {
  onnx: 'model.onnx',
  card: 'model-card.json',
  markdown: 'model-card.md',
  fittedRows: FITTED_ROWS_FILE,
} as const;

/** A set of files that is not a usable model; the message says which file and why. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** The archive's file name: `model-<version>.zip` (the version is a safe name: letters, digits, . _ -). */
export function archiveName(card: ModelCard): string {
  return `model-${card.version.replace(/[^A-Za-z0-9._-]/g, '_')}.zip`;
}

/**
 * The zip of a model's files (fitted-rows.bin only when it has one), dated with the card's createdAt (so the same model gives the same bytes).
 * The card is written as training writes it (2-space JSON and a final newline).
 */
export async function modelArchive(files: ModelFiles): Promise<Blob> {
  const date = new Date(files.card.createdAt);
  const lastModDate = Number.isNaN(date.getTime()) ? new Date(0) : date;
  const zip = new ZipWriter(new BlobWriter('application/zip'));
  const encoder = new TextEncoder();
  await zip.add(MODEL_FILE_NAMES.onnx, new Uint8ArrayReader(files.onnx), { lastModDate });
  await zip.add(
    MODEL_FILE_NAMES.card,
    new Uint8ArrayReader(encoder.encode(JSON.stringify(files.card, null, 2) + '\n')),
    { lastModDate },
  );
  await zip.add(MODEL_FILE_NAMES.markdown, new Uint8ArrayReader(encoder.encode(files.markdown)), {
    lastModDate,
  });
  if (files.fittedRows) {
    await zip.add(MODEL_FILE_NAMES.fittedRows, new Uint8ArrayReader(files.fittedRows), { lastModDate });
  }
  return zip.close();
}

/** A file the user picked: its name and contents. */
export interface PickedFile {
  name: string;
  blob: Blob;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** Far larger than any model of this kind (200 features x 512 cells: 0.4 MB) or its card (0.1 MB). */
const MAX_MEMBER_BYTES = 64 * 2 ** 20;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

async function isZip(blob: Blob): Promise<boolean> {
  const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  return ZIP_MAGIC.every((b, i) => head[i] === b);
}

/** The model files inside a zip, found by name at any depth (a zip of a folder holds folder/model.onnx). */
async function unzip(file: PickedFile): Promise<Map<string, Uint8Array>> {
  const reader = new ZipReader(new BlobReader(file.blob));
  const found = new Map<string, Uint8Array>();
  try {
    const entries = await reader.getEntries();
    for (const entry of entries) {
      if (entry.directory) continue;
      const name = baseName(entry.filename);
      if (!Object.values(MODEL_FILE_NAMES).includes(name as never)) continue;
      if (found.has(name)) throw new ModelFileError(`${file.name} holds more than one ${name}.`);
      if (entry.uncompressedSize > MAX_MEMBER_BYTES) {
        throw new ModelFileError(`${file.name}: ${entry.filename} is too large to be a model of this app.`);
      }
      found.set(name, await entry.getData(new Uint8ArrayWriter()));
    }
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(`${file.name} is not a readable zip archive (${(error as Error).message}).`);
  } finally {
    await reader.close().catch(() => {});
  }
  return found;
}

/**
 * Reads a model back from what the user picked: one `model-<version>.zip`, or model.onnx and model-card.json
 * (model-card.md is optional: without it the markdown is rendered from the card; fitted-rows.bin is optional:
 * without it, or with a card from before it existed, the model has no record of its fitted rows). Refused with a
 * ModelFileError when a file is missing, the card is malformed, the model's or fitted-rows.bin's SHA-256 is not
 * the card's, or the model is not one of this app's (200 features).
 */
export async function readModelFiles(picked: PickedFile[]): Promise<ModelFiles> {
  const files = new Map<string, Uint8Array>();
  const from = new Map<string, string>();
  for (const file of picked) {
    if (picked.length === 1 && (await isZip(file.blob))) {
      for (const [name, bytes] of await unzip(file)) {
        files.set(name, bytes);
        from.set(name, `${file.name} (${name})`);
      }
      continue;
    }
    const name = baseName(file.name);
    if (!Object.values(MODEL_FILE_NAMES).includes(name as never)) {
      throw new ModelFileError(
        `${file.name} is not one of a model's files: pick model-<version>.zip, or ${MODEL_FILE_NAMES.onnx} ` +
          `and ${MODEL_FILE_NAMES.card} (and ${MODEL_FILE_NAMES.markdown}) together.`,
      );
    }
    if (file.blob.size > MAX_MEMBER_BYTES) {
      throw new ModelFileError(`${file.name} is too large to be a model of this app.`);
    }
    files.set(name, new Uint8Array(await file.blob.arrayBuffer()));
    from.set(name, file.name);
  }
  const onnx = files.get(MODEL_FILE_NAMES.onnx);
  const cardBytes = files.get(MODEL_FILE_NAMES.card);
  const where = picked.map((f) => f.name).join(', ');
  if (!onnx || !cardBytes) {
    const missing = [!onnx && MODEL_FILE_NAMES.onnx, !cardBytes && MODEL_FILE_NAMES.card].filter(Boolean);
    throw new ModelFileError(
      `${where}: no ${missing.join(' and no ')}. A model needs ${MODEL_FILE_NAMES.onnx} and its ` +
        `${MODEL_FILE_NAMES.card}: pick the model-<version>.zip the app downloads, or both files together.`,
    );
  }
  let card: unknown;
  try {
    card = JSON.parse(new TextDecoder().decode(cardBytes));
  } catch {
    throw new ModelFileError(`${from.get(MODEL_FILE_NAMES.card)} is not valid JSON: it is not a model card.`);
  }
  const problems = cardProblems(card);
  if (problems.length > 0) {
    throw new ModelFileError(
      `${from.get(MODEL_FILE_NAMES.card)} is not a usable model card: ${problems.join('; ')}.`,
    );
  }
  const checked = card as ModelCard;
  const sha256 = await sha256Hex(onnx);
  if (sha256 !== checked.model.sha256) {
    throw new ModelFileError(
      `${from.get(MODEL_FILE_NAMES.onnx)} does not match its card: the card describes SHA-256 ` +
        `${checked.model.sha256}, the file has ${sha256} (${onnx.byteLength} bytes). The model was not loaded.`,
    );
  }
  const fittedRows = await checkedFittedRows(checked, files.get(MODEL_FILE_NAMES.fittedRows), from);
  let featureCount: number;
  try {
    featureCount = modelFromOnnx(onnx).featureCount;
  } catch (error) {
    throw new ModelFileError(
      `${from.get(MODEL_FILE_NAMES.onnx)} is not a model this app can use (${(error as Error).message}).`,
    );
  }
  if (featureCount !== FEATURE_COUNT) {
    throw new ModelFileError(
      `${from.get(MODEL_FILE_NAMES.onnx)} scores ${featureCount} features; this app's files have ${FEATURE_COUNT}.`,
    );
  }
  const missing = appCardProblems(checked);
  if (missing.length > 0) {
    throw new ModelFileError(
      `${from.get(MODEL_FILE_NAMES.card)} lacks what the app shows: ${missing.join('; ')}.`,
    );
  }
  const markdownBytes = files.get(MODEL_FILE_NAMES.markdown);
  const markdown = markdownBytes ? new TextDecoder().decode(markdownBytes) : renderCardMarkdown(checked);
  return { onnx, card: checked, markdown, ...(fittedRows ? { fittedRows } : {}) };
}

/**
 * fitted-rows.bin when the card describes one and it matches: its SHA-256 is the card's and it reads. A file the
 * card does not describe cannot be checked, so it is not used (undefined), as is a card's record without its
 * file (model.onnx and model-card.json picked alone): the model then has no record, which the comparisons say.
 */
async function checkedFittedRows(
  card: ModelCard,
  bytes: Uint8Array | undefined,
  from: Map<string, string>,
): Promise<Uint8Array | undefined> {
  const described = card.fittedRows;
  if (!bytes || !described || typeof described.sha256 !== 'string') return undefined;
  const name = from.get(MODEL_FILE_NAMES.fittedRows);
  const sha256 = await sha256Hex(bytes);
  if (sha256 !== described.sha256) {
    throw new ModelFileError(
      `${name} does not match its card: the card describes SHA-256 ${described.sha256}, the file has ` +
        `${sha256} (${bytes.byteLength} bytes). The model was not loaded.`,
    );
  }
  try {
    FittedRows.parse(bytes);
  } catch (error) {
    if (error instanceof FittedRowsError) throw new ModelFileError(`${name}: ${error.message}.`);
    throw error;
  }
  return bytes;
}

/** What the app reads from a card beyond the gate's fields: per-feature quantiles and the charts. */
function appCardProblems(card: ModelCard): string[] {
  const problems: string[] = [];
  const features = card.features as unknown;
  if (!Array.isArray(features) || features.length !== FEATURE_COUNT) {
    problems.push(`features should list the ${FEATURE_COUNT} features`);
  } else if (!features.every((f) => Array.isArray(f?.quantiles) && typeof f?.importance === 'number')) {
    problems.push('a feature lacks its quantiles or importance');
  }
  const charts = card.charts as Partial<ModelCard['charts']> | undefined;
  for (const chart of ['roc', 'pr', 'calibration', 'thresholds'] as const) {
    if (!Array.isArray(charts?.[chart])) problems.push(`charts.${chart} is missing`);
  }
  if (!Array.isArray(charts?.scoreHistogram?.counts)) problems.push('charts.scoreHistogram is missing');
  if (typeof card.model?.parameters?.intercept !== 'number')
    problems.push('model.parameters.intercept is missing');
  return problems;
}

/** The entries of a zip by name (tests and tools). */
export async function zipEntries(blob: Blob): Promise<Map<string, { bytes: Uint8Array; date: Date }>> {
  const reader = new ZipReader(new BlobReader(blob));
  const out = new Map<string, { bytes: Uint8Array; date: Date }>();
  for (const entry of await reader.getEntries()) {
    if (!entry.directory)
      out.set(entry.filename, {
        bytes: await entry.getData(new Uint8ArrayWriter()),
        date: entry.lastModDate,
      });
  }
  await reader.close();
  return out;
}
