import {
  closeSync,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import process from 'node:process';

/** The largest scenario file pinlab reads: the library's largest is a few KiB. */
export const MAX_SCENARIO_BYTES = 4 * 2 ** 20;
/** The largest trace file `pinlab view` reads (the whole library's results with traces are tens of MiB). */
export const MAX_TRACE_BYTES = 256 * 2 ** 20;

/** How much readBounded reads at a time (what it holds beyond the text is at most this). */
const CHUNK = 2 ** 20;

const errorCode = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

/**
 * A file's text, read at most `limit` bytes at a time so that /dev/zero or a huge file is refused before
 * it fills memory; or what is wrong, as a message without the file's name.
 */
export function readBounded(file: string, limit: number): { text: string } | { error: string } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return { error: `cannot read: ${errorCode(e)}` };
  }
  try {
    if (fstatSync(fd).isDirectory()) return { error: 'cannot read: EISDIR' };
    const chunks: Buffer[] = [];
    let n = 0;
    for (let got = 1; got > 0; n += got) {
      if (n > limit) return { error: `larger than ${limit / 2 ** 20} MiB: not read` };
      const chunk = Buffer.alloc(Math.min(CHUNK, limit + 1 - n));
      got = readSync(fd, chunk, 0, chunk.length, null);
      chunks.push(chunk.subarray(0, got));
    }
    return { text: Buffer.concat(chunks).toString('utf8') };
  } catch (e) {
    return { error: `cannot read: ${errorCode(e)}` };
  } finally {
    closeSync(fd);
  }
}

/** Kernel filesystems pinlab never creates files in. */
const SYSTEM_DIRS = ['/dev', '/proc', '/sys'];

const within = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}/`);

/** Whether `path` is a symbolic link (asked once stat failed: then it points nowhere). */
function dangling(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The same file as `a`: both exist and have one device and inode. */
function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * Why pinlab must not write `out` (null: it may): a path under /dev, /proc or /sys, something other
 * than a regular file, or one of the files the command reads (`inputs`).
 */
export function outputProblem(out: string, inputs: readonly string[]): string | null {
  let dir: string;
  try {
    dir = realpathSync(dirname(resolve(out)));
  } catch (e) {
    return `cannot write ${out}: ${errorCode(e)}`;
  }
  if (SYSTEM_DIRS.some((d) => within(dir, d)))
    return `will not write ${out}: it is under ${dir}, a kernel filesystem`;
  try {
    if (!statSync(out).isFile()) return `will not write ${out}: it exists and is not a regular file`;
  } catch {
    // Nothing there, unless a symbolic link that points nowhere yet (the write would create its target).
    return dangling(out) ? `will not write ${out}: it is a symbolic link to nothing` : null;
  }
  if (inputs.some((i) => sameFile(i, out))) return `will not write ${out}: it is an input of this command`;
  return null;
}

/**
 * Write `text` to `out` unless outputProblem() objects: through a temporary file in the same folder,
 * renamed over it, so an interrupted run leaves the old file whole (a link's target is replaced, the
 * link kept). The problem or the write's failure as a message, or null.
 */
export function writeOutput(out: string, text: string, inputs: readonly string[]): string | null {
  const problem = outputProblem(out, inputs);
  if (problem !== null) return problem;
  let target = out;
  try {
    target = realpathSync(out);
  } catch {
    // No such file yet: the rename creates it.
  }
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, target);
    return null;
  } catch (e) {
    rmSync(tmp, { force: true });
    return `cannot write ${out}: ${errorCode(e)}`;
  }
}
