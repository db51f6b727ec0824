/**
 * What we ship cannot be swapped: the model's bytes are checked against the SHA-256 in its card before a session
 * is created. A model with one flipped byte (served through request interception) is refused with a clear
 * message in role="alert", the app says it cannot score, and nothing is scored.
 */
import { expect, test } from '@playwright/test';
import { MODEL_MISMATCH } from '../../src/core/integrity';
import { makeCsv, openApp, pickFile } from './helpers';

// The service worker would fetch and cache the model itself; keep it out so every model fetch is the one routed.
test.use({ serviceWorkers: 'block' });

test('a model with one flipped byte is refused: the app says it cannot score', async ({ page, context }) => {
  let tampered = 0;
  await context.route(/\.onnx(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    body[Math.floor(body.length / 2)] ^= 0x01;
    tampered++;
    await route.fulfill({ response, body });
  });
  await page.goto('./');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(MODEL_MISMATCH, { timeout: 30_000 });
  expect(tampered).toBeGreaterThan(0);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-ready', 'false');
  await expect(page.getByTestId('model-status')).toContainText('cannot be scored');

  // A file dropped now is not scored with an untrusted model.
  await pickFile(page, 'customers.csv', makeCsv({ rows: 50, seed: 31 }));
  await expect(alert).toContainText(MODEL_MISMATCH);
  await expect(page.getByTestId('rows-scored')).toHaveCount(0);
  await expect(page.getByTestId('download')).toHaveCount(0);
});

test('the untouched model passes the same check and scores', async ({ page, context }) => {
  let served = 0;
  await context.route(/\.onnx(\?.*)?$/, async (route) => {
    served++;
    await route.continue();
  });
  await openApp(page);
  expect(served).toBeGreaterThan(0);
  await pickFile(page, 'customers.csv', makeCsv({ rows: 50, seed: 32 }));
  await expect(page.getByTestId('rows-scored')).toHaveText('50');
});
