/** Writes a set of files so that either all appear complete or none does (temp names, then renames). */
import { rename, rm, writeFile } from 'node:fs/promises';
import { makeFolder } from './folder';
import { basename, dirname, join } from 'node:path';

/** Temporary sibling name of `path`: hidden, with the process id, so concurrent runs do not collide. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/**
 * Writes every (path, content) pair to a temporary name, then renames each into place. On any failure the
 * temporary files are removed and the error is rethrown. Parent directories are created.
 */
export async function writeFilesAtomically(
  files: [path: string, content: Uint8Array | string][],
): Promise<void> {
  const temps: string[] = [];
  try {
    for (const [path, content] of files) {
      await makeFolder(dirname(path));
      const temp = tempPathFor(path);
      temps.push(temp);
      await writeFile(temp, content);
    }
    for (let i = 0; i < files.length; i++) await rename(temps[i], files[i][0]);
  } catch (error) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw error;
  }
}
