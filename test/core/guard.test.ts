import { describe, expect, it } from "vitest";
import {
  assertNoDeleteRights,
  assertNoDeleteRoles,
  assertNotDeleteRequest,
} from "../../src/policy/guard.js";
import type { Statement } from "../../src/policy/types.js";

const allow = (Action: string | string[]): Statement => ({
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::744254827463:user/crawlit-scrapy" },
  Action,
  Resource: "arn:aws:s3:::example-bucket/*",
});

describe("assertNoDeleteRights", () => {
  it.each([
    "s3:DeleteObject",
    "s3:deleteobject",
    "s3:DeleteObjectVersion",
    "s3:Delete*",
    "s3:*Object",
    "s3:D?leteObject",
    "s3:*",
    "*",
    "*:GetObject",
    "kms:*",
    "kms:ScheduleKeyDeletion",
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketPolicy",
  ])("refuses an Allow of %s", (action) => {
    expect(() => assertNoDeleteRights([allow(["s3:GetObject", action])])).toThrow(
      /^Statement\[0\]: .*never grants/,
    );
  });

  it("refuses an Allow with NotAction", () => {
    const statement: Statement = { Effect: "Allow", NotAction: "s3:GetObject", Resource: "*" };

    expect(() => assertNoDeleteRights([statement])).toThrow(/NotAction/);
  });

  it.each([
    ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:AbortMultipartUpload"],
    ["s3:PutObjectAcl", "s3:GetBucketLocation", "s3:ListMultipartUploadParts"],
    ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
  ])("lets Nimble's documented actions through (%s, ...)", (...actions) => {
    expect(assertNoDeleteRights([allow(actions)])).toHaveLength(1);
  });

  it("ignores Deny statements, which take rights away", () => {
    const deny: Statement = { Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" };

    expect(assertNoDeleteRights([deny])).toHaveLength(1);
  });
});

describe("assertNoDeleteRoles", () => {
  it.each([
    "roles/storage.objectAdmin",
    "roles/storage.objectUser",
    "roles/storage.admin",
    "roles/storage.legacyBucketWriter",
    "projects/p/roles/custom",
  ])("refuses %s", (role) => {
    expect(() => assertNoDeleteRoles([{ role, members: ["user:a@example.com"] }])).toThrow(
      /^bindings\[0\]\.role: /,
    );
  });

  it("lets Object Creator through", () => {
    const binding = { role: "roles/storage.objectCreator", members: ["user:a@example.com"] };

    expect(assertNoDeleteRoles([binding])).toEqual([binding]);
  });
});

describe("assertNotDeleteRequest", () => {
  it.each(["DeleteObjectCommand", "DeleteObjectsCommand", "DeleteBucketCommand", "objects.delete"])(
    "refuses %s",
    (operation) => {
      expect(() => assertNotDeleteRequest(operation)).toThrow(/never deletes/);
    },
  );

  it.each(["PutObjectCommand", "HeadBucketCommand", "objects.insert"])("allows %s", (operation) => {
    expect(() => assertNotDeleteRequest(operation)).not.toThrow();
  });
});
