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
import { writeFileAtomic } from "../../src/policy/write.js";

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

  it("fails with E_IO naming --write when the directory does not exist", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nb-write-"));

    await expect(writeFileAtomic(join(dir, "missing", "p.json"), "x")).rejects.toMatchObject({
      code: "E_IO",
      field: "--write",
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
