import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli';

const CLIS = ['score', 'train', 'export', 'data', 'gate', 'register'] as const;

/** The option names a CLI's parseArgs call accepts, read from its source. */
function acceptedOptions(name: string): string[] {
  const source = readFileSync(join(import.meta.dirname, `${name}.ts`), 'utf8');
  const block = source.slice(source.indexOf('options: {'));
  return [...block.slice(0, block.indexOf('\n      },')).matchAll(/^ {8}'?([a-z-]+)'?: \{ type:/gm)].map(
    (m) => m[1],
  );
}

describe('--help', () => {
  it.each(CLIS)('%s prints its usage and what it does on stdout and exits 0, writing nothing', (name) => {
    const r = runCli(`training/cli/${name}.ts`, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^usage:\s+npm run /i);
    // More than the usage line: a sentence on what the command does.
    expect(r.stdout.split('\n').filter((l) => l.trim() !== '').length).toBeGreaterThan(3);
  });

  it.each(['score', 'train'])('%s describes every option it accepts, one line each', (name) => {
    const options = acceptedOptions(name);
    expect(options.length).toBeGreaterThan(5);
    const r = runCli(`training/cli/${name}.ts`, ['-h']);
    expect(r.code).toBe(0);
    const described = r.stdout.slice(r.stdout.indexOf('\n\n'));
    for (const option of options) expect(described).toMatch(new RegExp(`^  --${option}\\b`, 'm'));
  });

  it('wins over the other arguments, even wrong ones', () => {
    const r = runCli('training/cli/score.ts', ['--in', 'missing.csv', '--bogus', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--affected-rows FILE');
  });
});
