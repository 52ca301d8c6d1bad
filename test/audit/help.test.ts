import { describe, expect, it } from "vitest";
import { AUDIT_EXAMPLES } from "../../src/cli/commands/audit.js";
import { runCli } from "./cli-support.js";

/**
 * `audit --help` shows each example whole on one line, with its description as a shell comment,
 * so a copied line runs as it is (yargs' two-column layout wrapped them across lines).
 */

describe("audit --help examples", () => {
  it.each(AUDIT_EXAMPLES.map((example) => [example.describe, example.command]))(
    "shows '%s' on one line: %s",
    async (describe, command) => {
      const result = await runCli(["audit", "--help"]);

      const lines = result.stdout.split("\n").map((line) => line.trim());
      expect(lines).toContain(`nimble-bucket audit ${command}  # ${describe}`);
    },
  );

  it.each(AUDIT_EXAMPLES.filter((example) => example.offline).map((e) => [e.command]))(
    "the copied offline line `%s` runs as it is (the comment is ignored by the shell)",
    async (command) => {
      const result = await runCli(["audit", ...command.split(" ")]);

      expect(result.code, result.stderr).toBe(0);
    },
  );
});
