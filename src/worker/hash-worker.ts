/**
 * The hashing worker: the SHA-256 of a File's own bytes (packed or not, as the CLI's sha256File reads them),
 * started by the training worker so that hashing runs on another core while the file is read and fitted.
 */
import * as Comlink from 'comlink';
import { sha256Chunks } from '../core/integrity';
import { fileAccess } from './file-access';

const api = {
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256(file: Blob): Promise<string> {
    return sha256Chunks(fileAccess(file).stream());
  },
};

/** The hashing worker's interface, as the training worker sees it. */
export type HashWorkerApi = typeof api;

Comlink.expose(api);
