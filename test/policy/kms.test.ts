import { describe, expect, it } from "vitest";
import { DELIVERY_PRINCIPAL, JOBS_PRINCIPAL } from "../../src/nimble.js";
import { kmsKeyPolicy, kmsKeyStatements } from "../../src/policy/generate/kms.js";
import type { KmsPolicyOptions } from "../../src/policy/generate/kms.js";
import { toList } from "../../src/policy/types.js";
import { C08 } from "./fixtures/cases.js";
import { catchError } from "./support.js";

describe("kmsKeyStatements", () => {
  // The documented statement, to the letter (../shared/nimble/facts.md section 2).
  it("emits Nimble's documented NimbleKMSAccess statement for delivery", () => {
    expect(kmsKeyStatements({ use: "delivery" })).toEqual([
      {
        Sid: "NimbleKMSAccess",
        Effect: "Allow",
        Principal: { AWS: DELIVERY_PRINCIPAL },
        Action: [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:DescribeKey",
        ],
        Resource: "*",
      },
    ]);
  });

  // C06 generator_must: S3 calls GenerateDataKey to write an SSE-KMS object and Decrypt to read
  // one and to upload parts of a multipart upload; kms:Encrypt alone is not what S3 calls.
  // @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
  it("C06: gives Jobs kms:Decrypt and kms:GenerateDataKey", () => {
    const [statement] = kmsKeyStatements({ use: "jobs" });

    expect(statement?.Principal).toEqual({ AWS: JOBS_PRINCIPAL });
    expect(toList(statement?.Action)).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
    expect(statement?.Resource).toBe("*");
  });

  // @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
  it("limits use to S3 in a region with kms:ViaService", () => {
    const [statement] = kmsKeyStatements({ use: "jobs", region: "eu-west-1" });

    expect(statement?.Condition).toEqual({
      StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
    });
  });

  // C08 generator_must: no statement for an AWS managed key, guidance instead.
  // @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk
  it.each<[string, KmsPolicyOptions, string]>([
    ["KeyManager AWS", { use: "jobs", keyManager: C08.keyManager }, "--key-manager"],
    ["the alias/aws/s3 alias", { use: "jobs", key: C08.alias }, "--key"],
    [
      "an alias ARN under alias/aws/",
      { use: "delivery", key: "arn:aws:kms:us-east-1:111122223333:alias/aws/s3" },
      "--key",
    ],
  ])("C08: refuses an AWS managed key given as %s, with guidance", (_name, options, field) => {
    const error = catchError(() => kmsKeyStatements(options));

    expect(error).toMatchObject({ code: "E_USAGE", field });
    expect(error.message).toMatch(/customer managed key/);
    expect(error.message).toMatch(/SSE-S3/);
  });

  it("accepts a customer managed key's ARN", () => {
    expect(kmsKeyStatements({ use: "jobs", key: C08.arn, keyManager: "CUSTOMER" })).toHaveLength(1);
  });

  it.each<[string, KmsPolicyOptions, string]>([
    ["a region that is not one", { use: "jobs", region: "Europe" }, "--region"],
    ["a principal that is not an ARN", { use: "jobs", principal: "webit-uploader" }, "--principal"],
    ["a key that is not a key reference", { use: "jobs", key: "my key" }, "--key"],
  ])("rejects %s, naming the flag", (_name, options, field) => {
    expect(catchError(() => kmsKeyStatements(options))).toMatchObject({ code: "E_INPUT", field });
  });
});

describe("kmsKeyPolicy", () => {
  const policy = kmsKeyPolicy({ use: "delivery", account: "111122223333" });
  const owner = policy.Statement[0];
  const ownerActions = toList(owner?.Action);

  it("gives the key's own account a statement first, then Nimble's", () => {
    expect(owner?.Principal).toEqual({ AWS: "arn:aws:iam::111122223333:root" });
    expect(policy.Statement[1]?.Sid).toBe("NimbleKMSAccess");
    expect(policy.Version).toBe("2012-10-17");
  });

  // AWS's lockout safety check: the policy must let the caller make a later PutKeyPolicy.
  // @see https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
  it("keeps kms:PutKeyPolicy and key reads for the owner", () => {
    expect(ownerActions).toEqual(
      expect.arrayContaining(["kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:DescribeKey"]),
    );
  });

  it("gives the owner no kms:*, deletion or disabling", () => {
    expect(ownerActions).not.toContain("kms:*");
    expect(
      ownerActions.filter((a) => /^kms:(ScheduleKeyDeletion|Delete|Disable)/i.test(a)),
    ).toEqual([]);
    expect(ownerActions.every((a) => !a.includes("*"))).toBe(true);
  });

  it.each(["11112222333", "1111222233334", "abcdefghijkl"])(
    "rejects the account id %s, naming --account",
    (account) => {
      const error = catchError(() => kmsKeyPolicy({ use: "jobs", account }));
      expect(error).toMatchObject({ code: "E_INPUT", field: "--account" });
    },
  );
});
