import { createServer } from "node:net";
import { execFileSync } from "node:child_process";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NimbleError } from "../../src/errors.js";
import { writeFileAtomic } from "../../src/policy/write.js";

/** Makes a FIFO (named pipe) with mkfifo(1) and returns its path. */
function fifo(path: string): Promise<string> {
  execFileSync("mkfifo", [path]);
  return Promise.resolve(path);
}

const isRoot = process.getuid?.() === 0;

/** Makes a character device node like /dev/full (1, 7) inside `dir` (root only). */
function device(dir: string): Promise<string> {
  const path = join(dir, "full");
  execFileSync("mknod", ["-m", "666", path, "c", "1", "7"]);
  return Promise.resolve(path);
}

/** Binds a Unix socket at `path`, closes the server (the node stays) and returns the path. */
async function socket(path: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(path, done));
  server.unref();
  return path;
}

describe("writeFileAtomic", () => {
  it("replaces an existing file and leaves no temporary file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nb-write-"));
    const target = join(dir, "policy.json");
    await writeFile(target, "old\n");

    await writeFileAtomic(target, "new\n");

    expect(await readFile(target, "utf8")).toBe("new\n");
    expect(await readdir(dir)).toEqual(["policy.json"]);
  });

  it("refuses a directory as bad --write input and leaves it and its files intact", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nb-write-"));
    const target = join(dir, "policy.json");
    await mkdir(target);
    await writeFile(join(target, "kept"), "old\n");

    await expect(writeFileAtomic(target, "new\n")).rejects.toMatchObject({
      code: "E_INPUT",
      field: "--write",
    });

    expect(await readFile(join(target, "kept"), "utf8")).toBe("old\n");
    expect(await readdir(dir)).toEqual(["policy.json"]);
  });

  it("refuses a missing directory as bad --write input naming it, not the temporary file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nb-write-"));
    const error = await writeFileAtomic(join(dir, "missing", "p.json"), "x").then(
      () => undefined,
      (e: unknown) => e as NimbleError,
    );

    expect(error).toMatchObject({ code: "E_INPUT", field: "--write" });
    expect(error?.message).toContain(`the directory ${join(dir, "missing")} does not exist`);
    expect(error?.message).not.toMatch(/\.tmp/);
  });

  it("refuses an empty path: it names no file", async () => {
    await expect(writeFileAtomic("", "x")).rejects.toMatchObject({
      code: "E_INPUT",
      field: "--write",
      message: "--write: needs a value",
    });
  });

  it("refuses a read-only file (mode 0444) and leaves it unchanged", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nb-write-"));
    const target = join(dir, "policy.json");
    await writeFile(target, "old\n");
    await chmod(target, 0o444);

    await expect(writeFileAtomic(target, "new\n")).rejects.toMatchObject({
      code: "E_INPUT",
      field: "--write",
    });
    expect(await readFile(target, "utf8")).toBe("old\n");
    expect((await stat(target)).mode & 0o777).toBe(0o444);
    expect(await readdir(dir)).toEqual(["policy.json"]);
  });

  // rename(2) replaces whatever the new name points at, a device node or FIFO included: as root,
  // --write /dev/full would leave a regular file in /dev. Only a regular file is replaced.
  // @see https://pubs.opengroup.org/onlinepubs/9699919799/functions/rename.html
  it.each<[string, (dir: string) => Promise<string>]>([
    ["a FIFO", async (dir) => fifo(join(dir, "policy.json"))],
    ["a Unix socket", async (dir) => socket(join(dir, "policy.json"))],
    // Never a real /dev node: code that got this wrong would replace it (as root).
    ...(isRoot
      ? [["a character device (made like /dev/full)", device] as [string, typeof device]]
      : []),
    [
      "a symbolic link to a FIFO",
      async (dir) => {
        const link = join(dir, "policy.json");
        await symlink(await fifo(join(dir, "pipe")), link);
        return link;
      },
    ],
  ])("refuses %s as bad --write input and leaves it what it was", async (_name, make) => {
    const dir = await mkdtemp(join(tmpdir(), "nb-write-"));
    const target = await make(dir);
    const before = await stat(target);

    await expect(writeFileAtomic(target, "new\n")).rejects.toMatchObject({
      code: "E_INPUT",
      field: "--write",
      message: expect.stringMatching(/is not a regular file/) as unknown,
    });
    const after = await stat(target);
    expect([after.isFIFO(), after.isCharacterDevice(), after.isSocket()]).toEqual([
      before.isFIFO(),
      before.isCharacterDevice(),
      before.isSocket(),
    ]);
    expect(after.isFile()).toBe(false);
  });

  it.each([
    ["an existing file", true],
    ["a file not yet created (dangling link)", false],
  ])("writes through a symbolic link to %s and keeps the link", async (_name, exists) => {
    const dir = await mkdtemp(join(tmpdir(), "nb-write-"));
    await mkdir(join(dir, "real"));
    const real = join(dir, "real", "policy.json");
    if (exists) await writeFile(real, "old\n");
    const link = join(dir, "policy.json");
    await symlink(join("real", "policy.json"), link);

    await writeFileAtomic(link, "new\n");

    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, "utf8")).toBe("new\n");
    expect(await readdir(join(dir, "real"))).toEqual(["policy.json"]);
  });
});
