import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { allChecks } from "../src/cli/commands/audit-explain.js";
import type { CheckInfo } from "../src/audit/types.js";

const README = new URL("../README.md", import.meta.url);
const TABLE = /(<!-- checks:start[^\n]*-->\n)([\s\S]*?)(\n<!-- checks:end -->)/;

/** The README's one table of checks, made from the registry (S3 and GCS). */
function checksTable(checks: readonly CheckInfo[]): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
  const rows = checks.map(
    (c) => `| \`${c.id}\` | ${c.severity} | ${cell(c.title)} | ${cell(c.fix ?? c.explanation)} |`,
  );
  return ["| Check | Severity | What is wrong | Fix |", "|---|---|---|---|", ...rows].join("\n");
}

describe("README", () => {
  it("lists every check of the registry, with its severity, title and fix, in one table", async () => {
    const text = await readFile(README, "utf8");
    const expected = checksTable(await allChecks());
    if (process.env.UPDATE_README === "1") {
      await writeFile(
        README,
        text.replace(TABLE, (_m, open, _t, close) => open + expected + close),
      );
    }

    expect(TABLE.exec(await readFile(README, "utf8"))?.[2]).toBe(expected);
  });

  it.each(["npm ci && npx nimble-bucket audit", "npm test"])(
    "shows the set-up command %s",
    async (command) => {
      expect(await readFile(README, "utf8")).toContain(command);
    },
  );
});
