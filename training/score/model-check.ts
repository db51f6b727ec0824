/**
 * The app's check of a model and its card, for the scoring CLI: the same readModelFiles the page runs on a
 * model file (src/core/card/model-files.ts), so both front doors refuse the same models with the same words.
 */
import { access, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  MODEL_FILE_NAMES,
  ModelFileError,
  readModelFiles,
  type ModelFiles,
  type PickedFile,
} from '../../src/core/card/model-files';
import { InputError } from '../io/read-rows';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Reads the model at `path` (a model.onnx) with the files beside it, as `npm run train` writes them and the
 * app's model zip holds them: model-card.json (required), model-card.md and fitted-rows.bin (optional). Throws
 * an InputError naming the file when it is missing or not named model.onnx, the card is missing or malformed, the model's SHA-256 is not the card's,
 * fitted-rows.bin does not match the card, or the model does not score this app's 200 features.
 */
export async function checkedModel(path: string): Promise<ModelFiles> {
  if (!(await exists(path))) throw new InputError(`${path}: no such model file.`);
  if (basename(path) !== MODEL_FILE_NAMES.onnx) {
    throw new InputError(
      `${path}: not a model file: a model is ${MODEL_FILE_NAMES.onnx} with its ${MODEL_FILE_NAMES.card} beside ` +
        `it, as npm run train writes them (or unzip the model-<version>.zip the app downloads).`,
    );
  }
  const dir = dirname(path);
  const card = join(dir, MODEL_FILE_NAMES.card);
  if (!(await exists(card))) {
    throw new InputError(
      `${path}: no ${MODEL_FILE_NAMES.card} beside it. The app scores a model only with its card (the card's ` +
        `SHA-256 checks the model, its figures say what it can do): keep the files npm run train writes ` +
        `together.`,
    );
  }
  const picked: PickedFile[] = [];
  for (const name of [MODEL_FILE_NAMES.card, MODEL_FILE_NAMES.markdown, MODEL_FILE_NAMES.fittedRows]) {
    const file = join(dir, name);
    if (await exists(file)) picked.push({ name: file, blob: new Blob([await readFile(file)]) });
  }
  picked.unshift({ name: path, blob: new Blob([await readFile(path)]) });
  try {
    return await readModelFiles(picked);
  } catch (error) {
    if (error instanceof ModelFileError) throw new InputError(error.message);
    throw error;
  }
}
