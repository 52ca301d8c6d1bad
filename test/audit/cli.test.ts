import { describe, expect, it } from "vitest";
import { findCheck } from "../../src/audit/registry.js";
import { allChecks } from "../../src/cli/commands/audit-explain.js";
import { runCli } from "./cli-support.js";

/** `nimble-bucket audit` as argv in, exit code and output out. */

const BUCKET = ["--bucket", "acme-data-exchange"];
const GOOD = [...BUCKET, "--policy", "examples/s3/jobs-good.bucket-policy.json"];

describe("audit exit codes", () => {
  it.each([
    { name: "passes the Jobs template", argv: GOOD, code: 0 },
    {
      name: "fails a policy whose ListBucket needs s3:prefix",
      argv: [...BUCKET, "--policy", "examples/s3/jobs-broken.bucket-policy.json"],
      code: 1,
    },
    {
      name: "fails over-broad grants with a public read (an error) under the default --fail-on",
      argv: [...BUCKET, "--policy", "examples/s3/jobs-over-broad.bucket-policy.json"],
      code: 1,
    },
    {
      name: "fails over-broad grants with --fail-on warning",
      argv: [
        ...BUCKET,
        "--policy",
        "examples/s3/jobs-over-broad.bucket-policy.json",
        "--fail-on",
        "warning",
      ],
      code: 1,
    },
    {
      name: "fails when the key policy lacks kms:Decrypt",
      argv: [
        ...GOOD,
        "--encryption",
        "examples/s3/encryption-sse-kms.json",
        "--key-policy",
        "examples/kms/key-policy-missing-decrypt.json",
      ],
      code: 1,
    },
    {
      name: "passes SSE-KMS with a key policy that allows Nimble",
      argv: [
        ...GOOD,
        "--encryption",
        "examples/s3/encryption-sse-kms.json",
        "--key-policy",
        "examples/kms/key-policy-good.json",
      ],
      code: 0,
    },
    {
      name: "fails SSE-KMS default encryption without a key id",
      argv: [...GOOD, "--encryption", "examples/s3/encryption-sse-kms-no-key.json"],
      code: 1,
    },
    {
      name: "passes delivery with Nimble's delivery template",
      argv: [
        "--for",
        "delivery",
        ...BUCKET,
        "--prefix",
        "results/",
        "--policy",
        "examples/s3/delivery-good.bucket-policy.json",
      ],
      code: 0,
    },
    {
      name: "fails delivery to a Jobs-only policy",
      argv: [
        "--for",
        "delivery",
        ...BUCKET,
        "--policy",
        "examples/s3/jobs-good.bucket-policy.json",
      ],
      code: 1,
    },
  ])("$name", async ({ argv, code }) => {
    const result = await runCli(["audit", ...argv]);

    expect({ code: result.code, stderr: result.stderr }).toEqual({ code, stderr: "" });
    expect(result.stdout).toContain("s3://acme-data-exchange");
  });

  it("flags ObjectWriter ownership given as a GetBucketOwnershipControls file", async () => {
    const result = await runCli([
      "audit",
      ...GOOD,
      "--ownership",
      "examples/s3/ownership-object-writer.json",
      "--format",
      "json",
    ]);

    const ids = (
      JSON.parse(result.stdout) as { buckets: { findings: { id: string }[] }[] }
    ).buckets[0]!.findings.map((f) => f.id);
    expect(ids).toContain("S3-OWNERSHIP-OBJECT-WRITER");
  });
});

describe("audit usage errors: one line naming the field, exit 2, nothing on stdout", () => {
  it.each([
    {
      name: "a malformed bucket name",
      argv: ["--bucket", "Bad_Bucket", "--policy", "x"],
      field: "--bucket",
    },
    {
      name: "no bucket",
      argv: ["--policy", "examples/s3/jobs-good.bucket-policy.json"],
      field: "--bucket",
    },
    { name: "no policy", argv: BUCKET, field: "--policy" },
    {
      name: "a missing policy file",
      argv: [...BUCKET, "--policy", "nope.json"],
      field: "--policy",
    },
    {
      name: "broken policy JSON (with its line)",
      argv: [...BUCKET, "--policy", "test/audit/fixtures/broken-json.bucket-policy.txt"],
      field: "--policy",
      also: "line 4",
    },
    {
      name: "a policy of the wrong shape (with its JSON path)",
      argv: [...BUCKET, "--policy", "test/audit/fixtures/bad-shape.bucket-policy.json"],
      field: "--policy",
      also: "Statement[0].Effect",
    },
    {
      name: "a wildcard in the input prefix",
      argv: [...GOOD, "--input-prefix", "in*"],
      field: "--input-prefix",
    },
    {
      name: "a variable in the output prefix",
      argv: [...GOOD, "--output-prefix", "${aws:username}/"],
      field: "--output-prefix",
    },
    { name: "--prefix for Jobs", argv: [...GOOD, "--prefix", "x/"], field: "--prefix" },
    {
      name: "an unknown principal form",
      argv: [...GOOD, "--principal", "crawlit-scrapy"],
      field: "--principal",
    },
    {
      name: "an unknown ownership value",
      argv: [...GOOD, "--ownership", "Owner"],
      field: "--ownership",
    },
    {
      name: "broken encryption JSON",
      argv: [...GOOD, "--encryption", "test/audit/fixtures/broken-json.bucket-policy.txt"],
      field: "--encryption",
    },
    { name: "an unknown check id", argv: ["--explain", "NO-SUCH-CHECK"], field: "--explain" },
    {
      name: "a bad bucket owner",
      argv: [...GOOD, "--confirm-with-aws", "--bucket-owner", "12"],
      field: "--bucket-owner",
    },
    { name: "a bad --concurrency", argv: [...GOOD, "--concurrency", "0"], field: "--concurrency" },
    { name: "an unknown format", argv: [...GOOD, "--format", "xml"], field: "format" },
    { name: "a target that is no URL", argv: ["https://example.com/b"], field: "target" },
  ])("$name", async ({ argv, field, also }) => {
    const result = await runCli(["audit", ...argv]);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(field);
    if (also) expect(result.stderr).toContain(also);
  });
});

describe("audit dispatches gs:// work to the GCS audit", () => {
  it("audits a GCS IAM policy file offline", async () => {
    const result = await runCli([
      "audit",
      "--for",
      "delivery",
      "--bucket",
      "acme-results",
      "--iam-policy",
      "test/audit/fixtures/gcs-object-creator.iam-policy.json",
      "--format",
      "json",
    ]);

    const parsed = JSON.parse(result.stdout) as {
      buckets: { bucket: string; operations: unknown[] }[];
    };
    expect(parsed.buckets[0]!.bucket).toBe("acme-results");
    expect(parsed.buckets[0]!.operations.length).toBeGreaterThan(0);
  });
});

describe("audit --explain prints a check's text from the registry", () => {
  it.each([
    { name: "an S3 check, id in lower case, with its fix line", id: "s3-list-on-object-arn" },
    { name: "a GCS check", id: "GCS-CREATE-NOT-GRANTED" },
  ])("$name", async ({ id }) => {
    const check = findCheck(id, await allChecks())!;

    const result = await runCli(["audit", "--explain", id]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${check.id} \\(error\\): `));
    expect(result.stdout).toContain(check.explanation);
    if (check.fix) expect(result.stdout).toContain(`\nFix: ${check.fix}\n`);
    expect(result.stdout).toMatch(/\nSee https:\/\/\S+\n$/);
  });
});
