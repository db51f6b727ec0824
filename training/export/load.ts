/** Reads a model file and its card for the SQL and scorecard exports and the DuckDB engine. */
import { farBounds } from '../../src/core/scoring/far-values';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ModelCard } from '../../src/core/model-card';
import type { AdditiveModel } from '../../src/core/model';
import { modelFromOnnx } from '../../src/core/onnx/export';
import { FEATURE_NAMES } from '../../src/core/schema';
import { InputError } from '../io/read-rows';
import { type ExportSource, type SqlModel, sqlModel } from './sql';

/** A model ready to export: its tables, the SQL layout, and where it came from. */
export interface LoadedModel {
  model: AdditiveModel;
  sql: SqlModel;
  source: ExportSource;
  /** The card, when one was found. */
  card: ModelCard | null;
}

async function readBytes(path: string, what: string): Promise<Uint8Array | null> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new InputError(`${path}: cannot read the ${what} (${(error as Error).message}).`);
  }
}

/**
 * Reads `modelPath` and its card (`cardPath`, default model-card.json beside the model). Feature names come from
 * the card, or are the Kaggle names when there is no card. Throws an InputError for a missing or unreadable
 * model, a card whose SHA-256 is not the model's, or a model the SQL cannot reproduce exactly.
 */
export async function loadModel(modelPath: string, cardPath?: string): Promise<LoadedModel> {
  const bytes = await readBytes(modelPath, 'model');
  if (!bytes) throw new InputError(`${modelPath}: no such model file.`);
  let model: AdditiveModel;
  try {
    model = modelFromOnnx(bytes);
  } catch (error) {
    throw new InputError(`${modelPath}: not a model this project wrote (${(error as Error).message}).`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const cardFile = cardPath ?? join(dirname(modelPath), 'model-card.json');
  const cardBytes = await readBytes(cardFile, 'model card');
  if (!cardBytes && cardPath) throw new InputError(`${cardPath}: no such model card.`);
  let card: ModelCard | null = null;
  if (cardBytes) {
    try {
      card = JSON.parse(new TextDecoder().decode(cardBytes)) as ModelCard;
    } catch (error) {
      throw new InputError(`${cardFile}: not a JSON model card (${(error as Error).message}).`);
    }
    if (card.model?.sha256 !== sha256) {
      throw new InputError(
        `${cardFile} describes another model (its SHA-256 is ${card.model?.sha256}, ${modelPath} has ${sha256}).`,
      );
    }
  }
  const names = card ? card.features.map((f) => f.name) : FEATURE_NAMES;
  let sql: SqlModel;
  try {
    // The app's rule for values too far outside the training range to be data, from the card's quantiles.
    sql = sqlModel(model, names, card ? farBounds(card.features) : null);
  } catch (error) {
    throw new InputError(`${modelPath}: cannot be written as SQL: ${(error as Error).message}.`);
  }
  return { model, sql, card, source: { names, version: card?.version ?? 'without a card', sha256 } };
}
