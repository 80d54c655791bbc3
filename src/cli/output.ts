import { lstatSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The file a path names (device and inode), or null when there is none. */
function identity(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

/** Whether `out` names one of `inputs`: the same path, or another name (a link) of the same file. */
export function isInput(out: string, inputs: readonly string[]): boolean {
  const id = identity(out);
  return inputs.some((f) => resolve(f) === resolve(out) || (id !== null && identity(f) === id));
}

/** The refusal to write over an input, or null. Commands check it before doing any work. */
export function overwritesInput(out: string, inputs: readonly string[]): string | null {
  return isInput(out, inputs)
    ? `${out} is one of this command's inputs: not writing over it (name another output)`
    : null;
}

/**
 * Write `text` to `path`: a new or regular file through a temporary file in the same folder, renamed
 * over it, so an interrupted run leaves the old file whole (a link is followed and its target
 * replaced); anything else (a terminal, a pipe) directly. Returns an error message, or null.
 */
export function writeOutput(path: string, text: string): string | null {
  let target = path;
  let regular = true;
  try {
    if (lstatSync(path).isSymbolicLink()) target = realpathSync(path);
    regular = statSync(target).isFile();
  } catch {
    // No such file yet: it is created by the rename.
  }
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    if (!regular) {
      writeFileSync(path, text);
      return null;
    }
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, target);
    return null;
  } catch (e) {
    if (regular) rmSync(tmp, { force: true });
    return `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}
