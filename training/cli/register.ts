/**
 * `npm run register -- [--models-dir models] [--card <dir>/model-card.json]`
 * Adds the card's model to <models-dir>/registry.json and keeps the card as <models-dir>/history/<version>/.
 * Idempotent by model SHA-256: registering the same model twice changes nothing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkCard } from '../gate/card-check';
import { addToRegistry, emptyRegistry, parseRegistry } from '../gate/registry';

/** Writes next to the target and renames, so a crash never leaves half a JSON file in models/. */
function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

try {
  const { values } = parseArgs({ options: { 'models-dir': { type: 'string' }, card: { type: 'string' } } });
  const dir = values['models-dir'] ?? 'models';
  const cardPath = values.card ?? join(dir, 'model-card.json');
  const cardText = readFileSync(cardPath, 'utf8');
  const card = checkCard(JSON.parse(cardText), cardPath);
  const registryPath = join(dir, 'registry.json');
  const registry = existsSync(registryPath)
    ? parseRegistry(JSON.parse(readFileSync(registryPath, 'utf8')))
    : emptyRegistry();
  const result = addToRegistry(registry, card);
  if (!result.added) {
    console.log(
      `register: model ${card.model.sha256.slice(0, 12)}... is already registered as ${result.entry.version}`,
    );
  } else {
    // The card first, then the registry: a registry entry never points at a card that is not there.
    writeAtomic(join(dir, result.entry.card), cardText);
    writeAtomic(registryPath, `${JSON.stringify(result.registry, null, 2)}\n`);
    console.log(
      `register: added ${card.version} (${card.data.source}, holdout AUC ${card.metrics.holdout.auc.toFixed(4)}) ` +
        `to ${registryPath}; ${result.registry.models.length} model(s) listed`,
    );
  }
} catch (e) {
  console.error(`register: ${(e as Error).message}`);
  process.exit(1);
}
