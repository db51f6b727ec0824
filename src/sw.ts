/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell, the ort .wasm, the model and the sample files (the list is
 * injected at build time, with content hashes), so the app works offline after the first visit.
 * It never takes over by itself: a waiting version activates only when the page asks (SKIP_WAITING).
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<string | { url: string; revision: string | null }>;
};

cleanupOutdatedCaches();
// '/<base>/' is served from the precached index.html (workbox maps directory URLs to index.html).
precacheAndRoute(self.__WB_MANIFEST);
// Any other visit to the app's page is the app, offline too: '/<base>/?from=intranet' (a query workbox does not
// ignore; it only drops utm_* and fbclid) missed the precache and showed the browser's offline error. Only the
// page itself: other paths under the scope are files, served from the precache above or the network.
const base = new URL(self.registration.scope).pathname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    allowlist: [new RegExp(`^${base}(index\\.html)?(\\?.*)?$`)],
  }),
);

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
