/**
 * `npm run register -- [--models-dir models] [--card <dir>/model-card.json] [--suggest-version]`
 * Adds the card's model to <models-dir>/registry.json and keeps the card as <models-dir>/history/<version>/.
 * Idempotent by model SHA-256: registering the same model twice changes nothing.
 * With --suggest-version it writes nothing and prints the version the card's model should be published under
 * (its own, or `<version>.N` when the registry or the live card gives that version to another model).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkCard } from '../../src/core/card/card-check';
import { addToRegistry, emptyRegistry, freeVersion, parseRegistry } from '../gate/registry';
import { writeFilesAtomically } from '../io/atomic-write';
import { printedHelp } from './help';

const HELP = `usage: npm run register -- [--models-dir models] [--card <dir>/model-card.json] [--suggest-version]

Adds the card's model to <models-dir>/registry.json and keeps the card as <models-dir>/history/<version>/;
registering the same model twice changes nothing. --suggest-version writes nothing and prints the version the
model should be published under.`;

if (printedHelp(HELP)) process.exit(0);

try {
  const { values } = parseArgs({
    options: {
      'models-dir': { type: 'string' },
      card: { type: 'string' },
      'suggest-version': { type: 'boolean' },
    },
  });
  const dir = values['models-dir'] ?? 'models';
  const cardPath = values.card ?? join(dir, 'model-card.json');
  const cardText = readFileSync(cardPath, 'utf8');
  const card = checkCard(JSON.parse(cardText), cardPath);
  const registryPath = join(dir, 'registry.json');
  const registry = existsSync(registryPath)
    ? parseRegistry(JSON.parse(readFileSync(registryPath, 'utf8')))
    : emptyRegistry();
  if (values['suggest-version']) {
    const livePath = join(dir, 'model-card.json');
    const live = existsSync(livePath)
      ? checkCard(JSON.parse(readFileSync(livePath, 'utf8')), livePath)
      : null;
    const model = (c: typeof card) => ({ version: c.version, modelSha256: c.model.sha256 });
    console.log(freeVersion(registry, model(card), live && model(live)));
    process.exit(0);
  }
  const result = addToRegistry(registry, card);
  if (!result.added) {
    console.log(
      `register: model ${card.model.sha256.slice(0, 12)}... is already registered as ${result.entry.version}`,
    );
  } else {
    // Temp names then renames, the card first: a crash never leaves half a JSON file in models/, and a
    // registry entry never points at a card that is not there.
    await writeFilesAtomically([
      [join(dir, result.entry.card), cardText],
      [registryPath, `${JSON.stringify(result.registry, null, 2)}\n`],
    ]);
    console.log(
      `register: added ${card.version} (${card.data.source}, holdout AUC ${card.metrics.holdout.auc.toFixed(4)}) ` +
        `to ${registryPath}; ${result.registry.models.length} model(s) listed`,
    );
  }
} catch (e) {
  console.error(`register: ${(e as Error).message}`);
  process.exit(1);
}
