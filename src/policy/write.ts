import type { Stats } from "node:fs";
import { lstat, open, readlink, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { NimbleError, inputError } from "../errors.js";

/**
 * Writes a file atomically: the text goes to a temporary file in the same directory, is flushed
 * to disk, then renamed over the target (rename is atomic within one file system). On any
 * failure the temporary file is removed and an existing target is left as it was. A symbolic
 * link is followed: the file it points to is replaced and the link stays a link. Anything but a
 * regular file (a directory, a device such as /dev/full, a FIFO, a socket), a read-only file, an
 * empty path and a missing directory are refused before anything is written: rename would
 * replace a device node or FIFO with a regular file.
 * @param path - the target file
 * @param text - the full contents
 * @throws NimbleError E_INPUT naming --write for an empty path, a missing directory, a target
 *   that is not a regular file, or a read-only file
 * @throws NimbleError E_IO naming the file when writing fails (the temporary name is not shown)
 * @see https://pubs.opengroup.org/onlinepubs/9699919799/functions/rename.html
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  if (path === "") throw inputError("--write", "needs a value");
  const target = await resolveLinks(path);
  await assertDirectory(path, dirname(target));
  const mode = await writableMode(path, target);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${uniqueSuffix()}.tmp`);
  try {
    const handle = await open(temp, "wx", mode);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    const reason = (error instanceof Error ? error.message : String(error)).replaceAll(
      temp,
      target,
    );
    throw new NimbleError("E_IO", `--write ${path}: could not write (${reason})`, "--write");
  }
}

/** Follows symbolic links (also dangling ones, whose target is then created) to the real file. */
async function resolveLinks(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 40; hops += 1) {
    const stats = await lstatOrUndefined(current);
    if (!stats?.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw inputError("--write", `${path}: too many levels of symbolic links`);
}

/** The directory the file goes in must exist (the temporary file is created there). */
async function assertDirectory(path: string, dir: string): Promise<void> {
  const stats = await stat(dir).catch(() => undefined);
  if (stats?.isDirectory()) return;

  const what = stats === undefined ? "does not exist" : "is not a directory";
  throw inputError("--write", `${path}: the directory ${dir} ${what}`);
}

/**
 * The mode of the file to replace (kept on the new file), 0644 for a new one. A file without
 * any write bit is refused: replacing it by rename would succeed (rename needs only the
 * directory's permission) and silently defeat its read-only mode.
 */
async function writableMode(path: string, target: string): Promise<number> {
  const stats = await stat(target).catch(() => undefined);
  if (stats === undefined) return 0o644;
  if (stats.isDirectory()) throw inputError("--write", `${path} is a directory; name a file`);
  if (!stats.isFile())
    throw inputError(
      "--write",
      `${path} is not a regular file (a device, FIFO or socket); name a file`,
    );
  if ((stats.mode & 0o222) === 0)
    throw inputError("--write", `${path} is read-only; it was left unchanged`);

  return stats.mode & 0o777;
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch {
    return undefined;
  }
}

/** Unique enough with the pid; the `wx` flag refuses to reuse an existing temp file anyway. */
function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
