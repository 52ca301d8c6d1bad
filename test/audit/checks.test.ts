import { describe, expect, it } from "vitest";
import { auditS3, checkContext, runChecks } from "../../src/audit/audit-s3.js";
import type { S3AuditInput } from "../../src/audit/audit-s3.js";
import { S3_CHECKS } from "../../src/audit/registry.js";
import type { PolicyDocument, Statement } from "../../src/policy/types.js";

/**
 * Checks that no documented case covers, one table row per situation. Each expectation follows
 * from the AWS behaviour cited on the check (registry.ts).
 */

const JOBS = "arn:aws:iam::744254827463:user/crawlit-scrapy";
const B = "arn:aws:s3:::example-bucket";
const TEMPLATE: Statement[] = [
  {
    Sid: "NimbleListBucket",
    Effect: "Allow",
    Principal: { AWS: JOBS },
    Action: "s3:ListBucket",
    Resource: B,
  },
  {
    Sid: "NimbleReadInputPrefix",
    Effect: "Allow",
    Principal: { AWS: JOBS },
    Action: "s3:GetObject",
    Resource: `${B}/input/*`,
  },
  {
    Sid: "NimbleReadWriteOutputPrefix",
    Effect: "Allow",
    Principal: { AWS: JOBS },
    Action: [
      "s3:GetObject",
      "s3:PutObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ],
    Resource: `${B}/output/*`,
  },
];

function input(extra: Statement[], settings: Partial<S3AuditInput> = {}): S3AuditInput {
  const document: PolicyDocument = { Version: "2012-10-17", Statement: [...TEMPLATE, ...extra] };
  return {
    use: "jobs",
    bucket: "example-bucket",
    bucketPolicy: { document, source: "p.json" },
    ...settings,
  };
}

const ids = (i: S3AuditInput) => auditS3(i).findings.map((f) => f.id);

describe("checks", () => {
  it.each([
    {
      name: "flags delete rights granted to Nimble",
      input: input([
        {
          Effect: "Allow",
          Principal: { AWS: JOBS },
          Action: "s3:DeleteObject",
          Resource: `${B}/output/*`,
        },
      ]),
      id: "S3-DELETE-GRANTED",
    },
    {
      name: "flags s3:* granted to Nimble's account",
      input: input([
        { Effect: "Allow", Principal: { AWS: "744254827463" }, Action: "s3:*", Resource: `${B}/*` },
      ]),
      id: "S3-STAR-ACTION",
    },
    {
      name: "flags Principal * without a limiting condition",
      input: input([
        { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${B}/public/*` },
      ]),
      id: "POLICY-PUBLIC-PRINCIPAL",
    },
    {
      name: "flags a Deny on aws:SourceIp (Nimble's addresses are unknown)",
      input: input([
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [B, `${B}/*`],
          Condition: { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
        },
      ]),
      id: "S3-DENY-SOURCE-IP",
    },
    {
      name: "flags an organization perimeter Deny",
      input: input([
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [B, `${B}/*`],
          Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" } },
        },
      ]),
      id: "S3-DENY-ORG-PERIMETER",
    },
    {
      name: "flags a Deny on uploads without a bucket-owner-full-control ACL",
      input: input([
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: `${B}/*`,
          Condition: { StringNotEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
      ]),
      id: "S3-DENY-REQUIRES-ACL-HEADER",
    },
    {
      name: "flags SSE-KMS default encryption without a key id",
      input: input([], { encryption: { SSEAlgorithm: "aws:kms" } }),
      id: "KMS-DEFAULT-KEY-NO-ID",
    },
    {
      name: "flags a KMS key named by alias",
      input: input([], { encryption: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/data" } }),
      id: "KMS-KEY-ID-NOT-ARN",
    },
    {
      name: "notes a customer key whose policy was not given",
      input: input([], {
        encryption: {
          SSEAlgorithm: "aws:kms",
          KMSMasterKeyID: "arn:aws:kms:us-east-1:111122223333:key/k",
        },
      }),
      id: "KMS-KEY-POLICY-NOT-AUDITED",
    },
    {
      name: "flags ObjectWriter ownership",
      input: input([], { ownership: "ObjectWriter" }),
      id: "S3-OWNERSHIP-OBJECT-WRITER",
    },
    {
      name: "flags Object Lock",
      input: input([], { objectLockEnabled: true }),
      id: "S3-OBJECT-LOCK",
    },
    {
      name: "flags Requester Pays",
      input: input([], { requesterPays: true }),
      id: "S3-REQUESTER-PAYS",
    },
  ])("$name", ({ input: i, id }) => {
    expect(ids(i)).toContain(id);
  });

  it.each([
    { name: "the template alone", input: input([]) },
    {
      name: "a TLS-only Deny (Nimble uses HTTPS)",
      input: input([
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [B, `${B}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    },
    {
      name: "Principal * limited by aws:PrincipalAccount",
      input: input([
        {
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: `${B}/shared/*`,
          Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" } },
        },
      ]),
    },
  ])("reports nothing for $name", ({ input: i }) => {
    expect(auditS3(i).findings).toEqual([]);
  });

  it("reports a source-IP Deny as depends, never as denied", () => {
    const audit = auditS3(
      input([
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [B, `${B}/*`],
          Condition: { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
        },
      ]),
    );

    const head = audit.operations.find((op) => op.operation === "HeadBucket");
    expect(head).toMatchObject({ decision: "depends", dependsOn: ["aws:SourceIp"] });
    expect(audit.predictedChips).toEqual({ read: "unknown", write: "unknown" });
  });

  it("turns a throwing check into AUDIT-CHECK-FAILED and runs the others", () => {
    const boom = {
      name: "boom",
      run: () => {
        throw new Error("bad input");
      },
    };
    const fine = { name: "fine", run: () => [{ id: "S3-OBJECT-LOCK", message: "m" }] };

    const findings = runChecks([boom, fine], checkContext(input([])));

    expect(findings).toEqual([
      {
        id: "AUDIT-CHECK-FAILED",
        severity: "error",
        message: "check boom could not evaluate: bad input",
        location: { source: "p.json" },
      },
      { id: "S3-OBJECT-LOCK", severity: "warning", message: "m" },
    ]);
  });

  it("registers every id exactly once", () => {
    const registered = S3_CHECKS.map((c) => c.id);

    expect(new Set(registered).size).toBe(registered.length);
  });
});
