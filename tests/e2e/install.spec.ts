import { chromium, expect, test } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('the app is installable (no installability errors over CDP)', async ({ baseURL, launchOptions }) => {
  // Installability is judged per profile: a persistent context is the closest to a real browser profile.
  const profile = await mkdtemp(join(tmpdir(), 'scorer-profile-'));
  const context = await chromium.launchPersistentContext(profile, { ...launchOptions, baseURL });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('./');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    const parsed = JSON.parse(manifest.data ?? '{}') as {
      start_url: string;
      scope: string;
      icons: unknown[];
    };
    expect(parsed.start_url).toBe(new URL(baseURL!).pathname);
    expect(parsed.scope).toBe(new URL(baseURL!).pathname);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});
