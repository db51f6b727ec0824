/** The built app served by `vite preview` on 127.0.0.1, for the browser benchmarks. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** Runs `vite build --base <base>` in `cwd` (into outDir, else dist/); throws if the build fails. */
function buildApp(base: string, outDir?: string, cwd?: string): void {
  const out = outDir ? ['--outDir', outDir, '--emptyOutDir'] : [];
  const build = spawnSync('npx', ['vite', 'build', '--base', base, ...out], {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('vite build failed');
}

/** Starts `vite preview` in `cwd`, in its own process group; stop it with `process.kill(-child.pid)`. */
function startPreview(base: string, port: number, outDir?: string, cwd?: string): ChildProcess {
  const out = outDir ? ['--outDir', outDir] : [];
  return spawn(
    'npx',
    [
      'vite',
      'preview',
      '--base',
      base,
      ...out,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    { cwd, stdio: ['ignore', 'ignore', 'inherit'], detached: true },
  );
}

/** Waits until `url` answers with a 2xx status; throws after about 20 s. */
async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`preview server did not start on ${url}`);
}

/** The value after `--name` on the command line, if any. */
export function arg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/**
 * The benchmarks' server: builds the app with `base` (unless --skip-build; into --out-dir, else `outDir`, else
 * dist/), serves it on 127.0.0.1:`port` and resolves with its `url` once it answers. `stop()` ends the server.
 */
export async function serveApp(
  base: string,
  port: number,
  outDir?: string,
): Promise<{ url: string; stop(): void }> {
  return serveCheckout(base, port, arg('out-dir') ?? outDir);
}

/**
 * As serveApp, for the checkout in `cwd` (default: this one) built into `outDir` (relative to `cwd`; default its
 * dist/), whatever --out-dir says: e.g. an earlier commit's worktree to compare with.
 */
export async function serveCheckout(
  base: string,
  port: number,
  outDir?: string,
  cwd?: string,
): Promise<{ url: string; stop(): void }> {
  if (!process.argv.includes('--skip-build')) buildApp(base, outDir, cwd);
  const server = startPreview(base, port, outDir, cwd);
  const stop = () => {
    if (server.pid) process.kill(-server.pid);
  };
  const url = `http://127.0.0.1:${port}${base}`;
  try {
    await waitForServer(url);
  } catch (error) {
    stop();
    throw error;
  }
  return { url, stop };
}
