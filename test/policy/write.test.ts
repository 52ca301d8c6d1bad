import { mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
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

  it("leaves the old target intact and cleans up when the rename fails", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nb-write-"));
    const target = join(dir, "policy.json");
    await mkdir(target);
    await writeFile(join(target, "kept"), "old\n");

    await expect(writeFileAtomic(target, "new\n")).rejects.toMatchObject({ code: "E_IO" });

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
});
