import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, 'actionlint.mjs');

function lint(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'actionlint-'));
  const paths = Object.entries(files).map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  });
  const r = spawnSync(process.execPath, [script, ...paths], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

const pinned = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';
/** Lines 1-7 of every workflow below; steps start on line 8. */
const head =
  'on: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n';

describe('scripts/actionlint.mjs', () => {
  it('passes a clean workflow', () => {
    const r = lint({ 'ok.yml': `${head}      - uses: ${pinned}\n` });
    expect(r.out).toMatch(/1 workflow file\(s\), 0 finding\(s\)/);
    expect(r.code).toBe(0);
  });

  it('reports actionlint findings as file:line:col and exits 1', () => {
    const r = lint({ 'bad.yml': `${head}      - run: echo \${{ steps.nope.outputs.x }}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^bad\.yml:8:\d+: property "nope" is not defined .* \[expression\]$/m);
  });

  it('reports actions not pinned to a full SHA with a version comment', () => {
    const steps =
      '      - uses: actions/checkout@v4\n' +
      '      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020\n' +
      '      - uses: ./local-action\n';
    const r = lint({ 'pins.yml': head + steps });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^pins\.yml:8:15: "actions\/checkout@v4" is not pinned to a full commit SHA \[pin\]$/m,
    );
    expect(r.out).toMatch(/^pins\.yml:9:15: .* needs a "# vX\.Y\.Z" comment \[pin\]$/m);
    expect(r.out).not.toMatch(/local-action/);
  });

  it('reports a workflow that leaves its token permissions to the repository default', () => {
    const r = lint({
      'perm.yml': `${head.replace('permissions:\n  contents: read\n', '')}      - uses: ${pinned}\n`,
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^perm\.yml:1:1: no top-level "permissions:" block.* \[permissions\]$/m);
  });

  it('fails when there is nothing to lint', () => {
    const r = lint({});
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/no workflow files/);
  });
});
