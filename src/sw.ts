/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell, the ort .wasm, the model and the sample files (the list is
 * injected at build time, with content hashes), so the app works offline after the first visit.
 * It never takes over by itself: a waiting version activates only when the page asks (SKIP_WAITING).
 */
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<string | { url: string; revision: string | null }>;
};

cleanupOutdatedCaches();
// '/<base>/' is served from the precached index.html (workbox maps directory URLs to index.html).
precacheAndRoute(self.__WB_MANIFEST);

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
