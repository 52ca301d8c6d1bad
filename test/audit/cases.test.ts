import { describe, expect, it } from "vitest";
import type { AuditFiles } from "./support.js";
import { auditFixture, s3Decisions } from "./support.js";

/**
 * The s3-policy-eval and kms-eval cases of ../shared/cases/cases.json, as audits. Expected
 * decisions, flagged problems and chips are the cases' own (AWS-documented) expectations:
 * "allow" → allowed, "deny-implicit" → implicitly-denied, "deny-explicit" → explicitly-denied;
 * "conditional" → depends (the value Nimble sends is unknown). Each expected finding names the
 * `audit_must_flag` item it stands for.
 */

interface AuditCase {
  name: string;
  files: AuditFiles;
  decisions: Record<string, string>;
  /** [check id, JSON path of its location] for each audit_must_flag item */
  flags: [string, string][];
  mustNot?: string[];
  chips?: { read?: string; write?: string };
  dependsOn?: Record<string, string>;
}

const SIX = [
  "ListBucket(bucket)",
  "GetObject(input/*)",
  "GetObject(output/*)",
  "PutObject(output/*)",
  "AbortMultipartUpload(output/*)",
  "ListMultipartUploadParts(output/*)",
];
const all = (decision: string) => Object.fromEntries(SIX.map((op) => [op, decision]));

const CASES: AuditCase[] = [
  {
    name: "C01 ListBucket granted only on the object ARN",
    files: { policy: "c01-list-on-object-arn.bucket-policy.json" },
    decisions: {
      "ListBucket(bucket)": "implicitly-denied",
      "GetObject(input/*)": "allowed",
      "GetObject(output/*)": "allowed",
      "PutObject(output/*)": "allowed",
      "AbortMultipartUpload(output/*)": "implicitly-denied",
      "ListMultipartUploadParts(output/*)": "implicitly-denied",
      HeadBucket: "implicitly-denied",
    },
    flags: [
      ["S3-LIST-ON-OBJECT-ARN", "Statement[0].Resource"],
      ["S3-OBJECT-ACTIONS-WHOLE-BUCKET", "Statement[0].Resource"],
      ["S3-WRITE-OUTSIDE-OUTPUT", "Statement"],
      ["S3-OPERATION-DENIED", "Statement"],
    ],
    chips: { read: "access-denied", write: "access-denied" },
  },
  {
    name: "C02 ListBucket limited by s3:prefix and s3:delimiter",
    files: { policy: "c02-list-prefix-delimiter.bucket-policy.json" },
    decisions: {
      "GetObject(input/*)": "allowed",
      "GetObject(output/*)": "allowed",
      "PutObject(output/*)": "allowed",
      "AbortMultipartUpload(output/*)": "allowed",
      "ListMultipartUploadParts(output/*)": "allowed",
      "ListBucket(bucket)": "depends",
      HeadBucket: "implicitly-denied",
      "ListObjectsV2(input/)": "implicitly-denied",
    },
    dependsOn: { "ListBucket(bucket)": "s3:delimiter" },
    flags: [["S3-LIST-PREFIX-CONDITION", "Statement[0].Condition"]],
    chips: { read: "access-denied", write: "access-denied" },
  },
  {
    name: "C06 key policy without kms:Decrypt",
    files: {
      policy: "c06-key-without-decrypt.bucket-policy.json",
      keyPolicy: "c06-key-without-decrypt.key-policy.json",
      encryption: "c06-key-without-decrypt.encryption.json",
    },
    decisions: {
      "ListBucket(bucket)": "allowed",
      "GetObject(input/*)": "implicitly-denied",
      "GetObject(output/*)": "implicitly-denied",
      "PutObject(output/*)": "allowed",
    },
    flags: [["KMS-MISSING-DECRYPT", "Statement"]],
  },
  {
    name: "C08 bucket data under the AWS managed key aws/s3",
    files: {
      policy: "c08-aws-managed-key.bucket-policy.json",
      keyPolicy: "c08-aws-managed-key.key-policy.json",
      keyMetadata: "c08-aws-managed-key.key-metadata.json",
    },
    decisions: { "ListBucket(bucket)": "allowed", "GetObject(input/*)": "implicitly-denied" },
    flags: [["KMS-AWS-MANAGED-KEY", "ApplyServerSideEncryptionByDefault"]],
    mustNot: ["POLICY-PUBLIC-PRINCIPAL"],
  },
  {
    name: "C11 Deny on uploads without the encryption header",
    files: {
      policy: "c11-deny-without-sse-header.bucket-policy.json",
      encryption: "c11-deny-without-sse-header.encryption.json",
    },
    decisions: {
      "ListBucket(bucket)": "allowed",
      "GetObject(input/*)": "allowed",
      "GetObject(output/*)": "allowed",
      "PutObject(output/*)": "depends",
      "AbortMultipartUpload(output/*)": "allowed",
      "ListMultipartUploadParts(output/*)": "allowed",
      "PutObject(output/.nimble-connection-test)": "explicitly-denied",
    },
    dependsOn: { "PutObject(output/*)": "s3:x-amz-server-side-encryption" },
    flags: [["S3-DENY-REQUIRES-SSE-HEADER", "Statement[3].Condition"]],
    chips: { write: "access-denied" },
  },
  {
    name: "C12 Deny outside a VPC endpoint",
    files: { policy: "c12-deny-outside-vpce.bucket-policy.json" },
    decisions: { ...all("explicitly-denied"), HeadBucket: "explicitly-denied" },
    flags: [["S3-DENY-VPC-ENDPOINT", "Statement[3].Condition"]],
    chips: { read: "access-denied", write: "access-denied" },
  },
  {
    name: "C15 A Deny + NotPrincipal listing only owner principals",
    files: { policy: "c15a-not-principal.bucket-policy.json" },
    decisions: all("explicitly-denied"),
    flags: [["S3-DENY-NOT-PRINCIPAL", "Statement[3].NotPrincipal"]],
    chips: { read: "access-denied", write: "access-denied" },
  },
  {
    name: "C15 B NotPrincipal lists Nimble's user without its account root",
    files: { policy: "c15b-not-principal.bucket-policy.json" },
    decisions: {},
    flags: [["S3-NOTPRINCIPAL-WITHOUT-ACCOUNT", "Statement[3].NotPrincipal"]],
  },
  {
    name: "C15 C NotPrincipal lists Nimble's user and account root",
    files: { policy: "c15c-not-principal.bucket-policy.json" },
    decisions: all("allowed"),
    flags: [],
    mustNot: ["S3-DENY-NOT-PRINCIPAL", "S3-NOTPRINCIPAL-WITHOUT-ACCOUNT", "S3-OPERATION-DENIED"],
  },
];

describe("audit of the documented cases", () => {
  it.each(CASES)("$name: decisions per operation", ({ files, decisions }) => {
    const actual = s3Decisions(auditFixture(files));

    for (const [operation, decision] of Object.entries(decisions)) {
      expect({ operation, decision: actual[operation] }).toEqual({ operation, decision });
    }
  });

  it.each(CASES)("$name: flags each audit_must_flag item at its location", ({ files, flags }) => {
    const findings = auditFixture(files).findings;

    for (const [id, path] of flags) {
      expect(findings.map((f) => `${f.id} @ ${f.location?.path}`)).toContain(`${id} @ ${path}`);
    }
  });

  it.each(CASES.filter((c) => c.mustNot))(
    "$name: respects audit_must_not",
    ({ files, mustNot }) => {
      const ids = auditFixture(files).findings.map((f) => f.id);

      for (const id of mustNot ?? []) expect(ids).not.toContain(id);
    },
  );

  it.each(CASES.filter((c) => c.chips))("$name: predicts the probe's chip", ({ files, chips }) => {
    const predicted = auditFixture(files).predictedChips;

    expect(predicted).toMatchObject(chips ?? {});
  });

  it.each(CASES.filter((c) => c.dependsOn))(
    "$name: names the keys a decision depends on",
    ({ files, dependsOn }) => {
      const audit = auditFixture(files);

      for (const [operation, key] of Object.entries(dependsOn ?? {})) {
        const op = audit.operations.find(
          (o) => o.operation === operation && o.action.startsWith("s3:"),
        );
        expect(op?.dependsOn.map((k) => k.toLowerCase())).toContain(key);
      }
    },
  );

  it("C01 names the missing multipart operations", () => {
    const messages = auditFixture(CASES[0]!.files)
      .findings.filter((f) => f.id === "S3-OPERATION-DENIED")
      .map((f) => f.message);

    expect(messages.some((m) => m.startsWith("AbortMultipartUpload(output/*)"))).toBe(true);
    expect(messages.some((m) => m.startsWith("ListMultipartUploadParts(output/*)"))).toBe(true);
  });

  it("C06 reports that multipart uploads fail (UploadPart needs kms:Decrypt)", () => {
    const audit = auditFixture(CASES[2]!.files);
    const uploadPart = audit.operations.find((o) => o.operation === "UploadPart(output/*)");

    expect(uploadPart).toMatchObject({ action: "kms:Decrypt", decision: "implicitly-denied" });
  });

  it("C15 B is not reported as a clean allow", () => {
    const audit = auditFixture(CASES[7]!.files);

    expect(audit.findings.some((f) => f.severity === "error")).toBe(true);
  });
});
