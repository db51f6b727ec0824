/**
 * Making the folder an output goes in. Node's `mkdir(dir, { recursive: true })` never returns under /proc (and
 * other file systems where mkdir answers ENOENT for a parent that exists: Node 20 climbs up and comes back down
 * forever), so folders are made here one at a time, from the nearest one that exists, and a failure is a sentence.
 */
import { closeSync, mkdirSync, openSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** The folders of `dir` that do not exist yet, outermost first. */
function missingFolders(dir: string): string[] {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (statSync(at, { throwIfNoEntry: false }) !== undefined) return missing;
    missing.unshift(at);
    if (dirname(at) === at) return missing;
  }
}

/** The system's reason, in words, with its code. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'the system does not allow one there',
    EACCES: 'permission denied',
    EPERM: 'the operation is not permitted',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENOSPC: 'the disk is full',
    ENAMETOOLONG: 'the name is too long',
  };
  return code ? `${words[code] ?? (error as Error).message}, ${code}` : (error as Error).message;
}

/** The reason a folder could not be made, in words, with the system's code. */
function why(folder: string, error: unknown): string {
  return `the folder ${folder} cannot be made (${reason(error)})`;
}

/**
 * Whether a file can be made beside `path` (its folder existing): one is made and removed. Undefined when it can,
 * else why not ("no file can be made in /proc (the system does not allow …, ENOENT)").
 */
function fileProblem(path: string): string | undefined {
  const probe = join(dirname(path), `.${basename(path)}.${process.pid}.probe`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
    return undefined;
  } catch (error) {
    return `no file can be made in ${dirname(resolve(path))} (${reason(error)})`;
  }
}

/**
 * Whether an output file `name` can be made in `dir`, for the checks a CLI runs before any work: `dir` and its
 * missing parents are made, a file is tried in it, and the folders made are removed again (a run refused later
 * leaves nothing behind; the writer makes them with makeFolder). Gives why not, for the folder ("the folder
 * /proc/x cannot be made (the system does not allow one there, ENOENT)") or for the file (fileProblem); nothing
 * when it can.
 */
export function outputProblem(dir: string, name: string): { folder?: string; file?: string } {
  const made: string[] = [];
  try {
    for (const folder of missingFolders(dir)) {
      try {
        mkdirSync(folder);
        made.push(folder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return { folder: why(folder, error) };
      }
    }
    const file = fileProblem(join(dir, name));
    return file ? { file } : {};
  } catch (error) {
    return { folder: why(resolve(dir), error) };
  } finally {
    for (const folder of made.reverse()) {
      try {
        rmdirSync(folder);
      } catch {
        // Something else put a file there meanwhile: it stays.
      }
    }
  }
}

/** Makes `dir` and its missing parents, one at a time; throws an Error saying which folder could not be made. */
export async function makeFolder(dir: string): Promise<void> {
  for (const folder of missingFolders(dir)) {
    try {
      await mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new Error(`${why(folder, error)}.`, { cause: error });
    }
  }
}
