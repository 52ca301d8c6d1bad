import { describe, expect, it, vi } from "vitest";
import { runCli } from "./cli-support.js";

/**
 * `main` runs a plain `audit` invocation without yargs: here yargs throws when used, so only the
 * fast path can succeed. A live target (positional) still needs yargs, and reaches it.
 */

vi.mock("yargs", () => ({
  default: () => {
    throw new Error("yargs was loaded");
  },
}));

const GOOD = [
  "--bucket",
  "acme-data-exchange",
  "--policy",
  "examples/s3/jobs-good.bucket-policy.json",
];

describe("audit's fast path in main", () => {
  it("audits the README's offline example without yargs", async () => {
    const result = await runCli(["audit", ...GOOD, "--format", "json"]);

    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    expect(result.stdout).toContain('"bucket": "acme-data-exchange"');
  });

  it("leaves a live target to yargs", async () => {
    await expect(runCli(["audit", "s3://acme-data-exchange/"])).rejects.toThrow("yargs was loaded");
  });
});
