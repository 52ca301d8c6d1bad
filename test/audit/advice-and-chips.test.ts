import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { auditS3 } from "../../src/audit/audit-s3.js";
import type { S3AuditInput } from "../../src/audit/audit-s3.js";
import { parseEncryptionText, parseKeyMetadataText } from "../../src/audit/inputs.js";
import { findCheck } from "../../src/audit/registry.js";
import type { BucketAudit } from "../../src/audit/types.js";
import { kmsKeyStatements } from "../../src/policy/generate/kms.js";
import { s3PolicyStatements } from "../../src/policy/generate/s3.js";
import { parsePolicyText } from "../../src/policy/parse.js";
import { toList } from "../../src/policy/types.js";
import { renderAuditText } from "../../src/report/audit-text.js";
import { runCli } from "./cli-support.js";
import { fixture } from "./support.js";

/**
 * The audit's advice names the Sids and the `nimble-bucket policy ... --merge` command the
 * generator really uses; the predicted chips agree with what AWS documents for the probe's
 * requests; NotPrincipal in an Allow is public; a policy of another bucket is said to be one.
 */

const BUCKET = "acme-data-exchange";

/** A file of the repository, by its path from the root. */
function readExample(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
}

function sourced(path: string) {
  return { document: parsePolicyText(readExample(path), path), source: path };
}

function audit(policy: string, extra: Partial<S3AuditInput> = {}): BucketAudit {
  return auditS3({ use: "jobs", bucket: BUCKET, bucketPolicy: sourced(policy), ...extra });
}

/** The Sid of the statement the generator emits for an action. */
function generatedSid(statements: { Sid?: string; Action?: string | string[] }[], action: string) {
  return statements.find((s) => toList(s.Action).includes(action))?.Sid;
}

describe("fix advice names the generator's Sid and its --merge command", () => {
  it.each([
    {
      name: "Jobs key policy without kms:Decrypt: Sid of `policy kms --for jobs`",
      input: (): BucketAudit =>
        audit("examples/s3/jobs-good.bucket-policy.json", {
          encryption: parseEncryptionText(
            readExample("examples/s3/encryption-sse-kms.json"),
            "enc",
          ),
          keyPolicy: sourced("examples/kms/key-policy-missing-decrypt.json"),
        }),
      id: "KMS-MISSING-DECRYPT",
      sid: generatedSid(kmsKeyStatements({ use: "jobs" }), "kms:Decrypt"),
      command:
        "nimble-bucket policy kms --for jobs --merge examples/kms/key-policy-missing-decrypt.json",
    },
    {
      name: "delivery without GetBucketLocation: Sid of the default `policy s3 --for delivery`",
      input: (): BucketAudit =>
        auditS3({
          use: "delivery",
          bucket: BUCKET,
          prefix: "results/",
          bucketPolicy: sourced("test/audit/fixtures/delivery-without-location.bucket-policy.json"),
        }),
      id: "S3-OPERATION-DENIED",
      sid: generatedSid(
        s3PolicyStatements({ use: "delivery", bucket: BUCKET, prefix: "results/" }),
        "s3:GetBucketLocation",
      ),
      command:
        `nimble-bucket policy s3 --for delivery --bucket ${BUCKET} --prefix results/ ` +
        "--merge test/audit/fixtures/delivery-without-location.bucket-policy.json",
    },
  ])("$name", ({ input, id, sid, command }) => {
    const finding = input().findings.find((f) => f.id === id);

    expect(sid).toBeDefined();
    expect(finding?.message).toContain(`(Sid ${sid})`);
    expect(finding?.message).toContain(command);
  });

  it("the registry's KMS fix lines name no Sid of one use only", () => {
    for (const id of ["KMS-MISSING-DECRYPT", "KMS-MISSING-GENERATE-DATA-KEY"]) {
      expect(findCheck(id)?.fix).not.toMatch(/Sid Nimble/);
      expect(findCheck(id)?.fix).toContain("nimble-bucket policy kms");
    }
  });

  it("running the named --merge command gives a policy the audit passes", async () => {
    const denied = auditS3({
      use: "delivery",
      bucket: BUCKET,
      prefix: "results/",
      bucketPolicy: sourced("test/audit/fixtures/delivery-without-location.bucket-policy.json"),
    }).findings.find((f) => f.id === "S3-OPERATION-DENIED")!;
    const command = /nimble-bucket (policy s3 .*--merge \S+)/.exec(denied.message)![1]!;

    const merged = await runCli(command.split(" "));
    expect(merged.code, merged.stderr).toBe(0);
    const after = auditS3({
      use: "delivery",
      bucket: BUCKET,
      prefix: "results/",
      bucketPolicy: { document: parsePolicyText(merged.stdout, "merged"), source: "merged" },
    });

    expect(after.operations.every((op) => op.decision === "allowed")).toBe(true);
  });
});

describe("predicted chips agree with the bucket's settings", () => {
  const sse = (file: string) => parseEncryptionText(readExample(file), file);
  const awsKey = parseKeyMetadataText(
    fixture("c08-aws-managed-key.key-metadata.json"),
    "c08-aws-managed-key.key-metadata.json",
  );
  it.each([
    {
      name: "SSE-S3: both OK",
      extra: { encryption: sse("examples/s3/encryption-sse-s3.json") },
      chips: { read: "ok", write: "ok" },
    },
    {
      name: "SSE-KMS without a key id (aws/s3): the upload is denied, listing is not",
      extra: { encryption: sse("examples/s3/encryption-sse-kms-no-key.json") },
      chips: { read: "ok", write: "access-denied" },
    },
    {
      name: "SSE-KMS under the AWS managed key (C08): the upload is denied",
      extra: {
        encryption: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: awsKey.Arn },
        keyMetadata: awsKey,
      },
      chips: { read: "ok", write: "access-denied" },
    },
    {
      name: "SSE-KMS with a customer key whose policy was not audited: upload unknown",
      extra: { encryption: sse("examples/s3/encryption-sse-kms.json") },
      chips: { read: "ok", write: "unknown" },
    },
    {
      name: "SSE-KMS with a customer key whose policy allows Nimble: both OK",
      extra: {
        encryption: sse("examples/s3/encryption-sse-kms.json"),
        keyPolicy: sourced("examples/kms/key-policy-good.json"),
      },
      chips: { read: "ok", write: "ok" },
    },
    {
      // "If x-amz-request-payer is not in the request, Amazon S3 returns a 403 error"
      // @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html
      name: "Requester Pays: HEAD, GET and PUT without x-amz-request-payer get 403",
      extra: { requesterPays: true },
      chips: { read: "access-denied", write: "access-denied" },
    },
    {
      name: "Requester Pays and SSE-KMS without a key id: both denied",
      extra: { requesterPays: true, encryption: sse("examples/s3/encryption-sse-kms-no-key.json") },
      chips: { read: "access-denied", write: "access-denied" },
    },
  ])("$name", ({ extra, chips }) => {
    const result = audit("examples/s3/jobs-good.bucket-policy.json", extra);

    expect(result.predictedChips).toEqual(chips);
  });

  it("CLI: --encryption without a key id and --requester-pays exits 1 with denied chips", async () => {
    const result = await runCli([
      "audit",
      "--bucket",
      BUCKET,
      "--policy",
      "examples/s3/jobs-good.bucket-policy.json",
      "--encryption",
      "examples/s3/encryption-sse-kms-no-key.json",
      "--format",
      "json",
    ]);

    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { buckets: { predictedChips: unknown }[] };
    expect(parsed.buckets[0]!.predictedChips).toEqual({ read: "ok", write: "access-denied" });
  });
});

describe("the text report's OK chip says 'prefix may be empty' only for read", () => {
  it.each([
    { name: "Jobs: read notes the empty prefix, write does not", use: "jobs" as const },
    { name: "delivery: write only, without the empty-prefix note", use: "delivery" as const },
  ])("$name", ({ use }) => {
    const policy =
      use === "jobs"
        ? "examples/s3/jobs-good.bucket-policy.json"
        : "examples/s3/delivery-good.bucket-policy.json";
    const result = auditS3({
      use,
      bucket: BUCKET,
      prefix: "results/",
      bucketPolicy: sourced(policy),
    });

    const line = renderAuditText([result])
      .split("\n")
      .find((l) => l.includes("Predicted"))!;

    const write = line.slice(line.indexOf("write "));
    expect(write).toBe("write ✓ Connection OK (permissions correct)");
    if (use === "jobs")
      expect(line).toContain(
        "read ✓ Connection OK (permissions correct; the prefix may still be empty)",
      );
    else expect(line).not.toContain("read");
  });
});

describe("public grants and policies of another bucket", () => {
  it.each([
    {
      // An Allow with NotPrincipal grants every principal not listed, anonymous users included.
      // @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
      name: "Allow with NotPrincipal is public (error, at NotPrincipal)",
      policy: "test/audit/fixtures/allow-not-principal.bucket-policy.json",
      id: "POLICY-PUBLIC-PRINCIPAL",
      path: "Statement[1].NotPrincipal",
    },
    {
      name: "Allow to Principal '*' without a condition is public (error, at Principal)",
      policy: "examples/s3/jobs-over-broad.bucket-policy.json",
      id: "POLICY-PUBLIC-PRINCIPAL",
      path: "Statement[1].Principal",
    },
  ])("$name", ({ policy, id, path }) => {
    const finding = audit(policy).findings.find((f) => f.id === id);

    expect(finding).toMatchObject({ severity: "error", location: { path } });
  });

  it.each([
    {
      name: "flags a policy whose every Resource is another bucket",
      bucket: "example-bucket",
      flagged: true,
    },
    { name: "not the bucket the policy names", bucket: BUCKET, flagged: false },
  ])("$name", ({ bucket, flagged }) => {
    const result = auditS3({
      use: "jobs",
      bucket,
      bucketPolicy: sourced("examples/s3/jobs-good.bucket-policy.json"),
    });

    const finding = result.findings.find((f) => f.id === "S3-POLICY-OTHER-BUCKET");
    expect(finding !== undefined).toBe(flagged);
    if (flagged) expect(finding?.message).toContain(BUCKET);
  });

  it("not a policy whose Resource is '*' (it names every bucket)", () => {
    const result = audit("test/audit/fixtures/star-resource.bucket-policy.json");

    expect(result.findings.map((f) => f.id)).not.toContain("S3-POLICY-OTHER-BUCKET");
  });
});
