/** Test helper: runs a TypeScript CLI the way `npm run <name>` does (node --import tsx, from the repository root). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

/** A finished CLI run: exit code, what it printed, and `out` = stdout and stderr together. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  out: string;
}

/**
 * Runs `file` (relative to the repository root) with `args`; `env` is laid over the current environment.
 * `killAfterMs`: a run that never ends is killed then (its code is null), so a test of a hang fails, not hangs.
 */
export function runCli(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  killAfterMs?: number,
): CliRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, file), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    ...(killAfterMs === undefined ? {} : { timeout: killAfterMs }),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out: `${r.stdout}\n${r.stderr}` };
}
