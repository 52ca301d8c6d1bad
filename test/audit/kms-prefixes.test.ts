import { describe, expect, it } from "vitest";
import { runCli } from "./cli-support.js";

/**
 * SSE-KMS with prefixes other than the defaults: the key policy's decisions are labelled with the
 * audit's own prefixes, so they join the S3 requests they serve. The key policy allows Nimble
 * kms:Decrypt but not kms:GenerateDataKey, and "to upload an object encrypted with an AWS KMS key,
 * you need kms:GenerateDataKey permissions on the key": every upload (the test object included)
 * is refused, while reads are not.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
 */

const FIXTURES = "test/audit/fixtures/";
const KEY_POLICY = `${FIXTURES}key-policy-decrypt-only.json`;
const ENCRYPTION = "examples/s3/encryption-sse-kms.json";

interface JsonAudit {
  buckets: {
    operations: { operation: string; action: string; decision: string }[];
    findings: { id: string; message: string }[];
    predictedChips: { read?: string; write?: string };
  }[];
}

describe("key-policy decisions use the audit's prefixes", () => {
  it.each([
    {
      name: "Jobs with --input-prefix batches/in/ --output-prefix results/out/",
      flags: [
        "--bucket",
        "acme-data-exchange",
        "--input-prefix",
        "batches/in/",
        "--output-prefix",
        "results/out/",
        "--policy",
        `${FIXTURES}custom-prefix-jobs.bucket-policy.json`,
      ],
      denied: ["PutObject(results/out/*)", "PutObject(results/out/.nimble-connection-test)"],
      allowed: ["GetObject(batches/in/*)", "GetObject(results/out/*)"],
      chips: { read: "ok", write: "access-denied" },
    },
    {
      name: "delivery with --prefix nimble/results/",
      flags: [
        "--for",
        "delivery",
        "--bucket",
        "acme-delivery",
        "--prefix",
        "nimble/results/",
        "--policy",
        `${FIXTURES}custom-prefix-delivery.bucket-policy.json`,
      ],
      denied: ["PutObject(nimble/results/*)", "PutObject(nimble/results/.nimble-connection-test)"],
      allowed: ["GetBucketLocation(bucket)"],
      chips: { write: "access-denied" },
    },
  ])("$name: uploads denied for kms:GenerateDataKey", async ({ flags, denied, allowed, chips }) => {
    const argv = ["audit", ...flags, "--encryption", ENCRYPTION, "--key-policy", KEY_POLICY];

    const result = await runCli([...argv, "--format", "json"]);

    expect(result.code, result.stderr).toBe(1);
    const audit = (JSON.parse(result.stdout) as JsonAudit).buckets[0]!;
    const s3 = (label: string) =>
      audit.operations.find((op) => op.operation === label && op.action.startsWith("s3:"));
    for (const label of denied) expect(s3(label)?.decision, label).toBe("implicitly-denied");
    for (const label of allowed) expect(s3(label)?.decision, label).toBe("allowed");
    expect(audit.predictedChips).toEqual(chips);
    expect(audit.findings.map((f) => f.id)).toContain("KMS-MISSING-GENERATE-DATA-KEY");
    const refused = audit.findings.find(
      (f) => f.id === "S3-OPERATION-DENIED" && f.message.includes("kms:GenerateDataKey"),
    );
    expect(refused?.message).toContain(denied[0]);
  });
});
