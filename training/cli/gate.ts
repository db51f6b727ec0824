/**
 * `npm run gate -- --candidate <card.json> --baseline models/model-card.json [--tolerance 0.002]
 *   [--registry models/registry.json] [--model <candidate.onnx>]`
 * Exits 0 when the candidate may be published, 1 with the reasons when it is stopped, 2 on bad arguments.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TOLERANCE, type GateResult, runGate } from '../gate/gate';
import { parseRegistry, type Registry } from '../gate/registry';
import { sha256File } from '../io/sha256-file';
import { printedHelp } from './help';

const usage =
  'usage: npm run gate -- --candidate <card.json> --baseline <card.json> [--tolerance 0.002] ' +
  '[--registry <registry.json>] [--model <candidate.onnx>] [--no-baseline]';

function fail(message: string, code: number): never {
  // On GitHub runners an ::error:: line becomes an annotation on the run's summary page.
  console.error(process.env.GITHUB_ACTIONS ? `::error title=Quality gate::${message}` : message);
  process.exit(code);
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    fail(`gate: cannot read the ${what} ${path}: ${(e as Error).message}`, 1);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`gate: the ${what} ${path} is not JSON: ${(e as Error).message}`, 1);
  }
}

function summary(r: GateResult, candidate: string): string {
  const lines = [`### Quality gate: ${r.pass ? 'passed' : 'stopped'}`, '', `Candidate: \`${candidate}\``, ''];
  for (const reason of r.reasons) lines.push(`- **stopped:** ${reason}`);
  for (const note of r.notes) lines.push(`- ${note}`);
  return `${lines.join('\n')}\n`;
}

const help = `${usage}

The retrain workflow's quality gate: may the candidate model replace the live one? It is stopped when its card
is malformed, its holdout AUC is at or below chance or below the like-for-like baseline's by more than the
tolerance, it would replace a model trained on stronger data (the registry says which), or its .onnx (--model)
is not the file its card describes.
Exit status: 0 it may be published, 1 stopped (the reasons on stderr), 2 bad arguments.`;
if (printedHelp(help)) process.exit(0);

let args;
try {
  args = parseArgs({
    options: {
      candidate: { type: 'string' },
      baseline: { type: 'string' },
      tolerance: { type: 'string' },
      registry: { type: 'string' },
      model: { type: 'string' },
      'no-baseline': { type: 'boolean' },
    },
  }).values;
} catch (e) {
  fail(`gate: ${(e as Error).message}\n${usage}`, 2);
}
if (!args.candidate || (!args.baseline && !args['no-baseline'])) fail(usage, 2);
const tolerance = args.tolerance === undefined ? DEFAULT_TOLERANCE : Number(args.tolerance);
if (!Number.isFinite(tolerance) || tolerance < 0)
  fail(`gate: --tolerance must be a number >= 0\n${usage}`, 2);

const candidate = readJson(args.candidate, 'candidate card');
// A missing baseline is refused unless --no-baseline says so: a typo in the path must not wave a model through.
const baseline = args.baseline ? readJson(args.baseline, 'baseline card') : null;
const registryPath =
  args.registry ?? (args.baseline ? join(dirname(args.baseline), 'registry.json') : undefined);
let registry: Registry | null = null;
if (registryPath && existsSync(registryPath)) {
  try {
    registry = parseRegistry(readJson(registryPath, 'registry'));
  } catch (e) {
    fail(`gate: ${registryPath}: ${(e as Error).message}`, 1);
  }
} else if (args.registry) fail(`gate: no registry at ${args.registry}`, 1);

let candidateModelSha256: string | undefined;
if (args.model) {
  try {
    candidateModelSha256 = await sha256File(args.model);
  } catch (e) {
    fail(`gate: cannot read the candidate model ${args.model}: ${(e as Error).message}`, 1);
  }
}

const result = runGate({ candidate, baseline, registry, tolerance, candidateModelSha256 });
if (process.env.GITHUB_STEP_SUMMARY)
  appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary(result, args.candidate));
for (const note of result.notes) console.log(`gate: note: ${note}`);
if (!result.pass) fail(`gate: stopped: ${result.reasons.join('; ')}`, 1);
console.log(`gate: passed (${args.candidate})`);
