/**
 * zip.js's codec worker, started by the reading worker for a zip member (Platform.inflateWorker): the member
 * inflates here (DecompressionStream('deflate-raw'), native) while the reading worker parses, so the two use two
 * cores instead of taking turns on one. Served from the app's origin, as the CSP's worker-src 'self' requires
 * (zip.js's default starts its worker from a blob: URL).
 */
import { initWorker } from '@zip.js/zip.js/worker';

initWorker();
