import { readdirSync, readFileSync } from 'node:fs';

/** How every browser test and benchmark starts Chromium: Debian's build (or CHROMIUM_PATH), no downloads. */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // This machine has no network beyond the package registries: without the background-networking flags
  // Chromium keeps dialling Google's hosts; --no-sandbox because tests run as root here.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

/**
 * Resident memory (bytes) of each Chromium renderer process descending from `rootPid` (by default this process,
 * which launched the browser), read from /proc; empty where there is no /proc. A page's workers live in its
 * renderer, so the page's figure is its renderer's.
 */
export function rendererRss(rootPid = process.pid): Map<number, number> {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return new Map();
  }
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const pid = Number(entry);
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const siblings = children.get(ppid);
      if (siblings) siblings.push(pid);
      else children.set(ppid, [pid]);
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('--type=renderer'))
        rss.set(pid, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // the process ended while we looked
    }
  }
  const out = new Map<number, number>();
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    const bytes = rss.get(pid);
    if (bytes !== undefined) out.set(pid, bytes);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}
