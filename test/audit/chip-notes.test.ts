import { describe, expect, it } from "vitest";
import { runCli } from "./cli-support.js";

/**
 * The predicted chips count every step Test Connection sends, and their text says why a chip is
 * what it is when the status alone would mislead.
 */

const BUCKET = "acme-data-exchange";
const FIXTURES = "test/audit/fixtures/";
const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

async function predicted(flags: string[]): Promise<{ code: number; line: string }> {
  const result = await runCli(["audit", "--bucket", BUCKET, ...flags]);
  const line = result.stdout.split("\n").find((l) => l.includes("Predicted Test Connection"));
  return { code: result.code, line: line ?? result.stderr };
}

describe("the read chip counts HeadObject of the listed key", () => {
  // "To use HEAD, you must have the s3:GetObject permission": Test Connection's read HEADs the
  // key it listed, so when the prefix holds an object a refused s3:GetObject gives 403.
  // @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
  it.each([
    { name: "a Deny on s3:GetObject for input/*", policy: "deny-get-input.bucket-policy.json" },
    {
      name: "the template without NimbleReadInputPrefix",
      policy: "no-read-input.bucket-policy.json",
    },
  ])("$name: read ✗ Access denied, when the prefix holds an object", async ({ policy }) => {
    const { code, line } = await predicted(["--policy", `${FIXTURES}${policy}`]);

    expect(code).toBe(1);
    expect(line).toContain(
      "read ✗ Access denied (HeadObject of a listed object is denied, a step that runs only " +
        "when the prefix holds an object; with an empty prefix the chip is " +
        "✓ Connection OK - prefix is empty)",
    );
    expect(line).toContain("write ✓ Connection OK (permissions correct)");
  });

  it("a refused listing says Access denied with no HeadObject note", async () => {
    const { line } = await predicted([
      "--policy",
      `${FIXTURES}c01-list-on-object-arn.bucket-policy.json`,
    ]);

    expect(line).toMatch(/read ✗ Access denied, write/);
  });
});

describe("the write chip under SSE-KMS names what the audit was not given", () => {
  it("a customer key without --key-policy: the key policy was not given", async () => {
    const { line } = await predicted([
      "--policy",
      "examples/s3/jobs-good.bucket-policy.json",
      "--encryption",
      "examples/s3/encryption-sse-kms.json",
    ]);

    expect(line).toContain(
      `write unknown (the policy of key ${KEY_ARN} was not given: pass --key-policy FILE)`,
    );
    expect(line).not.toContain("depends on values this audit cannot know");
  });

  it("JSON carries the note under chipNotes.write", async () => {
    const result = await runCli([
      "audit",
      "--bucket",
      BUCKET,
      "--policy",
      "examples/s3/jobs-good.bucket-policy.json",
      "--encryption",
      "examples/s3/encryption-sse-kms.json",
      "--format",
      "json",
    ]);

    const audit = (JSON.parse(result.stdout) as { buckets: Record<string, unknown>[] }).buckets[0]!;
    expect(audit.predictedChips).toEqual({ read: "ok", write: "unknown" });
    expect(audit.chipNotes).toEqual({
      write: `the policy of key ${KEY_ARN} was not given: pass --key-policy FILE`,
    });
  });
});
