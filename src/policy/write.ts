import { open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { NimbleError } from "../errors.js";

/**
 * Writes a file atomically: the text goes to a temporary file in the same directory, is flushed
 * to disk, then renamed over the target (rename is atomic within one file system). On any
 * failure the temporary file is removed and an existing target is left as it was.
 * @param path - the target file
 * @param text - the full contents
 * @throws NimbleError E_IO naming the file
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${uniqueSuffix()}.tmp`);
  try {
    const mode = await existingMode(path);
    const handle = await open(temp, "wx", mode);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new NimbleError("E_IO", `--write ${path}: could not write (${reason})`, "--write");
  }
}

/** Unique enough with the pid; the `wx` flag refuses to reuse an existing temp file anyway. */
function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

async function existingMode(path: string): Promise<number> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return 0o644;
  }
}
