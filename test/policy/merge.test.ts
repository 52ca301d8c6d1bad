import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { s3OwnedSids, s3PolicyStatements } from "../../src/policy/generate/s3.js";
import { kmsKeyStatements } from "../../src/policy/generate/kms.js";
import { mergePolicy, POLICY_SIZE_LIMITS } from "../../src/policy/merge.js";
import type { MergeOptions } from "../../src/policy/merge.js";
import { parsePolicyText } from "../../src/policy/parse.js";
import type { PolicyDocument, Statement } from "../../src/policy/types.js";
import { catchError } from "./support.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");
const customerText = fixture("customer-policy.json");
const parse = (text: string): PolicyDocument => parsePolicyText(text, "policy.json");
const jobs = s3PolicyStatements({ use: "jobs", bucket: "example-bucket" });
const JOBS = "arn:aws:iam::744254827463:user/crawlit-scrapy";
const DELIVERY = "arn:aws:iam::744254827463:user/webit-uploader";
const bucketScope = {
  kind: "s3-bucket-policy",
  principal: JOBS,
  bucket: "example-bucket",
} as const;
const keyScope = { kind: "kms-key-policy", principal: DELIVERY } as const;
const s3: MergeOptions = { scope: bucketScope, ownedSids: s3OwnedSids("jobs") };

/** Every statement of `policy` that is not Nimble's, as JSON text (key order included). */
function customerStatements(policy: PolicyDocument): string[] {
  return policy.Statement.filter((s) => !s.Sid?.startsWith("Nimble")).map((s) => JSON.stringify(s));
}

describe("mergePolicy", () => {
  it("keeps every other statement byte-for-byte, key order included", () => {
    const original = JSON.parse(customerText) as { Statement: unknown[] };
    const merged = mergePolicy(parse(customerText), jobs, s3).policy;

    expect(customerStatements(merged)).toEqual([
      JSON.stringify(original.Statement[0]),
      JSON.stringify(original.Statement[2]),
    ]);
  });

  it("keeps the document's own elements and their order", () => {
    const merged = mergePolicy(parse(customerText), jobs, s3).policy;

    expect(Object.keys(merged)).toEqual(["Id", "Version", "Statement"]);
    expect(merged.Id).toBe("CustomerPolicy");
  });

  it("replaces a statement with Nimble's Sid in place and appends the others", () => {
    const result = mergePolicy(parse(customerText), jobs, s3);

    expect(result.policy.Statement.map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "NimbleListBucket",
      undefined,
      "NimbleReadInputPrefix",
      "NimbleReadWriteOutputPrefix",
    ]);
    expect(result.policy.Statement[1]).toEqual(jobs[0]);
    expect(result.replaced).toEqual([{ index: 1, sid: "NimbleListBucket" }]);
    expect(result.added).toEqual(["NimbleReadInputPrefix", "NimbleReadWriteOutputPrefix"]);
  });

  it("gives the same document when merged twice", () => {
    const once = mergePolicy(parse(customerText), jobs, s3).policy;
    const twice = mergePolicy(parse(JSON.stringify(once)), jobs, s3).policy;

    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
  });

  it("accepts a single Statement object and keeps its members as they were", () => {
    const text = fixture("single-statement-policy.json");
    const original = (JSON.parse(text) as { Statement: Statement }).Statement;
    const merged = mergePolicy(parse(text), jobs, s3).policy;

    expect(JSON.stringify(merged.Statement[0])).toBe(JSON.stringify(original));
    expect(merged.Statement).toHaveLength(4);
  });

  it("drops a stale Nimble statement the generator no longer emits (documented → narrower)", () => {
    const documented = s3PolicyStatements({
      use: "delivery",
      bucket: "example-bucket",
      documented: true,
    });
    const narrower = s3PolicyStatements({ use: "delivery", bucket: "example-bucket" });
    const start: PolicyDocument = { Version: "2012-10-17", Statement: narrower };
    const result = mergePolicy(start, documented, {
      scope: { ...bucketScope, principal: DELIVERY },
      ownedSids: s3OwnedSids("delivery"),
    });

    expect(result.policy.Statement).toEqual(documented);
    expect(result.removed).toEqual([{ index: 0, sid: "NimbleCloudDeliveryBucketLocation" }]);
  });

  // S3: "Bucket policies are limited to 20 KB in size."
  // @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html
  it("refuses, as bad --merge input, a merged bucket policy over 20 KB", () => {
    const big = bigPolicy(POLICY_SIZE_LIMITS["s3-bucket-policy"]);
    const error = catchError(() => mergePolicy(big, jobs, s3));

    expect(error).toMatchObject({ code: "E_INPUT", field: "--merge" });
    expect(error.message).toMatch(/20480 bytes/);
  });

  it("measures without whitespace: a policy that only fits compact is accepted", () => {
    const existing = bigPolicy(POLICY_SIZE_LIMITS["s3-bucket-policy"] - 2000);
    const merged = mergePolicy(existing, jobs, s3).policy;

    expect(JSON.stringify(merged).length).toBeLessThanOrEqual(20480);
    expect(JSON.stringify(merged, null, 2).length).toBeGreaterThan(20480);
  });

  // KMS: a key policy is at most 32 KB (32,768 bytes).
  // @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
  it("applies the 32 KB key-policy limit to key policies", () => {
    const existing = bigPolicy(25_000);
    const kms = kmsKeyStatements({ use: "delivery" });

    expect(() => mergePolicy(existing, kms, { scope: keyScope })).not.toThrow();
    expect(
      catchError(() => mergePolicy(bigPolicy(33_000), kms, { scope: keyScope })),
    ).toMatchObject({ code: "E_INPUT", field: "--merge" });
  });
});

/** A policy of about `bytes` bytes (compact JSON), made of distinct customer statements. */
function bigPolicy(bytes: number): PolicyDocument {
  const statements: Statement[] = [];
  let size = 40;
  for (let i = 0; size < bytes; i += 1) {
    const statement: Statement = {
      Sid: `Customer${i}`,
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:root" },
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::example-bucket/team-${i}/*`,
    };
    statements.push(statement);
    size += JSON.stringify(statement).length + 1;
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** A customer statement for the refusal tables. */
function customer(statement: Partial<Statement> & Pick<Statement, "Effect">): Statement {
  return { Action: "s3:GetObject", Resource: "arn:aws:s3:::example-bucket/*", ...statement };
}

const nimbleUser = { AWS: JOBS };
const OVERRIDE = "arn:aws:iam::999988887777:role/nimble-test";

describe("mergePolicy refuses an existing policy it cannot merge without loss", () => {
  // IAM: "the Sid value must be unique within a JSON policy"; a merge by Sid would drop one.
  // @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
  it.each<[string, Statement[], RegExp]>([
    [
      "two statements share Nimble's Sid (the second a Deny on s3:DeleteObject)",
      [
        customer({ Sid: "NimbleListBucket", Effect: "Allow", Principal: nimbleUser }),
        customer({
          Sid: "NimbleListBucket",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:DeleteObject",
        }),
      ],
      /^--merge: Statement\[1\]\.Sid "NimbleListBucket" repeats Statement\[0\]\.Sid; IAM requires/,
    ],
    [
      "two customer statements share a Sid of their own",
      [
        customer({ Sid: "Team", Effect: "Allow", Principal: { AWS: "111122223333" } }),
        customer({ Sid: "Other", Effect: "Allow", Principal: { AWS: "111122223333" } }),
        customer({ Sid: "Team", Effect: "Allow", Principal: { AWS: "111122223333" } }),
      ],
      /^--merge: Statement\[2\]\.Sid "Team" repeats Statement\[0\]\.Sid/,
    ],
    [
      "a customer Deny uses one of Nimble's Sids",
      [customer({ Sid: "NimbleReadInputPrefix", Effect: "Deny", Principal: nimbleUser })],
      /^--merge: Statement\[0\]\.Sid "NimbleReadInputPrefix" is a Deny using one of Nimble's Sids/,
    ],
    [
      "a customer Allow to another account uses one of Nimble's Sids",
      [
        customer({
          Sid: "NimbleListBucket",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
        }),
      ],
      /^--merge: Statement\[0\]\.Sid "NimbleListBucket" is one of Nimble's Sids on a statement that grants to someone other than Nimble; .*rename its Sid and merge again$/,
    ],
    [
      "a customer Allow to everyone uses one of Nimble's Sids",
      [customer({ Sid: "NimbleReadWriteOutputPrefix", Effect: "Allow", Principal: "*" })],
      /^--merge: Statement\[0\]\.Sid "NimbleReadWriteOutputPrefix" is one of Nimble's Sids .*rename its Sid/,
    ],
    [
      "Nimble's Sid on an Allow to crawlit-scrapy and another account together",
      [
        customer({
          Sid: "NimbleReadInputPrefix",
          Effect: "Allow",
          Principal: { AWS: [JOBS, "111122223333"] },
        }),
      ],
      /^--merge: Statement\[0\]\.Sid "NimbleReadInputPrefix" is one of Nimble's Sids/,
    ],
  ])("when %s", (_name, statements, message) => {
    const existing: PolicyDocument = { Version: "2012-10-17", Statement: statements };
    const error = catchError(() => mergePolicy(existing, jobs, s3));

    expect(error).toMatchObject({ code: "E_INPUT", field: "--merge" });
    expect(error.message).toMatch(message);
  });

  it.each<[string, Statement, string]>([
    [
      "crawlit-scrapy's user ARN",
      customer({ Sid: "NimbleReadInputPrefix", Effect: "Allow", Principal: nimbleUser }),
      JOBS,
    ],
    [
      "Nimble's account id",
      customer({
        Sid: "NimbleReadInputPrefix",
        Effect: "Allow",
        Principal: { AWS: "744254827463" },
      }),
      JOBS,
    ],
    [
      "the --principal override of this merge (another account)",
      customer({ Sid: "NimbleReadInputPrefix", Effect: "Allow", Principal: { AWS: OVERRIDE } }),
      OVERRIDE,
    ],
  ])("replaces a Nimble-Sid Allow granting to %s", (_name, statement, principal) => {
    const statements = s3PolicyStatements({ use: "jobs", bucket: "example-bucket", principal });
    const options: MergeOptions = { ...s3, scope: { ...bucketScope, principal } };
    const existing: PolicyDocument = { Version: "2012-10-17", Statement: [statement] };
    const result = mergePolicy(existing, statements, options);

    expect(result.replaced).toEqual([{ index: 0, sid: "NimbleReadInputPrefix" }]);
  });

  it("refuses NimbleKMSAccess on the key owner's statement (its grant would be lost)", () => {
    const owner: Statement = {
      Sid: "NimbleKMSAccess",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:root" },
      Action: "kms:*",
      Resource: "*",
    };
    const existing: PolicyDocument = { Version: "2012-10-17", Statement: [owner] };
    const kms = kmsKeyStatements({ use: "delivery" });
    const error = catchError(() => mergePolicy(existing, kms, { scope: keyScope }));

    expect(error.message).toMatch(/^--merge: Statement\[0\]\.Sid "NimbleKMSAccess" is one of/);
  });
});

const NIMBLE_ROOT = "arn:aws:iam::744254827463:root";
const BUCKET = "arn:aws:s3:::example-bucket";

// A resource policy statement applies when its Principal, Action and Resource match; an account
// principal (…:root) stands for every principal of that account, `*` for everyone. The check is
// per statement and ignores conditions (Nimble sets much of its own request context).
// @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
describe("mergePolicy refuses a merged bucket policy that could let Nimble delete or administer", () => {
  it.each<[string, Partial<Statement>, string]>([
    [
      "s3:DeleteObject and s3:* to crawlit-scrapy",
      { Sid: "Other", Principal: nimbleUser, Action: ["s3:DeleteObject", "s3:*"] },
      "s3:Delete*",
    ],
    [
      "s3:DeleteObject on objects outside Nimble's prefixes (reports/*)",
      { Principal: nimbleUser, Action: "s3:DeleteObject", Resource: `${BUCKET}/reports/*` },
      "s3:Delete*",
    ],
    [
      "s3:DeleteObject to webit-uploader while merging Jobs' statements",
      { Principal: { AWS: DELIVERY }, Action: "s3:DeleteObject" },
      "s3:Delete*",
    ],
    [
      "s3:* to another principal of Nimble's account (a role)",
      { Principal: { AWS: "arn:aws:iam::744254827463:role/ops" }, Action: "s3:*" },
      "s3:Delete*",
    ],
    [
      "s3:Delete* to Nimble's account id",
      { Principal: { AWS: "744254827463" }, Action: "s3:Delete*", Resource: `${BUCKET}/output/*` },
      "s3:Delete*",
    ],
    [
      "s3:PutBucketPolicy to everyone on the bucket ARN",
      { Sid: "Open", Principal: "*", Action: "s3:PutBucketPolicy", Resource: BUCKET },
      "s3:PutBucketPolicy",
    ],
    [
      "s3:PutReplicationConfiguration to Nimble's account root",
      {
        Principal: { AWS: NIMBLE_ROOT },
        Action: "s3:PutReplicationConfiguration",
        Resource: BUCKET,
      },
      "s3:PutReplicationConfiguration",
    ],
    [
      "s3:ReplicateDelete to everyone",
      { Principal: "*", Action: "s3:ReplicateDelete" },
      "s3:ReplicateDelete",
    ],
    [
      "s3:PutBucketPublicAccessBlock to everyone",
      { Principal: "*", Action: "s3:PutBucketPublicAccessBlock", Resource: BUCKET },
      "s3:PutBucketPublicAccessBlock",
    ],
    [
      "s3:PutEncryptionConfiguration to crawlit-scrapy",
      { Principal: nimbleUser, Action: "s3:PutEncryptionConfiguration", Resource: BUCKET },
      "s3:PutEncryptionConfiguration",
    ],
    [
      "s3:PutBucketObjectLockConfiguration in lower case",
      { Principal: nimbleUser, Action: "s3:putbucketobjectlockconfiguration", Resource: BUCKET },
      "s3:PutBucketObjectLockConfiguration",
    ],
    [
      "s3:*Object (matches s3:DeleteObject) on every S3 resource",
      { Principal: nimbleUser, Action: "s3:*Object", Resource: "arn:aws:s3:::*" },
      "s3:Delete*",
    ],
    [
      "s3:* to everyone from an address range (conditions aside)",
      {
        Sid: "Office",
        Principal: "*",
        Action: "s3:*",
        Condition: { IpAddress: { "aws:SourceIp": "192.0.2.0/24" } },
      },
      "s3:Delete*",
    ],
    [
      "s3:* to everyone in another account (aws:PrincipalAccount, a condition, is not a fence)",
      {
        Principal: "*",
        Action: "s3:*",
        Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" } },
      },
      "s3:Delete*",
    ],
    [
      "s3:DeleteObjectVersion under a condition on s3:versionid, which Nimble's request sets",
      {
        Principal: nimbleUser,
        Action: "s3:DeleteObjectVersion",
        Condition: { StringEquals: { "s3:versionid": "3HL4kqtJlcpXroDTDmJ" } },
      },
      "s3:Delete*",
    ],
    [
      "an Allow with NotAction s3:GetObject (every other action)",
      { Principal: nimbleUser, Action: undefined, NotAction: "s3:GetObject" },
      "s3:Delete*",
    ],
    [
      "NotResource naming another bucket only",
      {
        Principal: nimbleUser,
        Action: "s3:DeleteObject",
        Resource: undefined,
        NotResource: "arn:aws:s3:::other-bucket/*",
      },
      "s3:Delete*",
    ],
    [
      "an Allow with NotPrincipal (everyone but the listed)",
      { NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:DeleteBucket" },
      "s3:Delete*",
    ],
    [
      "a policy variable in the Resource",
      {
        Principal: nimbleUser,
        Action: "s3:DeleteObject",
        Resource: "arn:aws:s3:::${aws:username}/*",
      },
      "s3:Delete*",
    ],
  ])("when %s", (_name, statement, forbidden) => {
    const existing = {
      Version: "2012-10-17",
      Statement: [customer({ Effect: "Allow", ...statement })],
    };
    const error = catchError(() => mergePolicy(existing, jobs, s3));

    expect(error).toMatchObject({ code: "E_INPUT", field: "--merge" });
    expect(error.message).toContain(`could let Nimble ${forbidden} on bucket example-bucket`);
    expect(error.message).toMatch(/^--merge: Statement\[0\]/);
    expect(error.message).toMatch(/remove that grant and merge again$/);
  });

  it.each<[string, Statement]>([
    [
      "s3:* to another account",
      customer({
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "s3:*",
      }),
    ],
    [
      "a Deny of s3:DeleteObject to Nimble",
      customer({ Effect: "Deny", Principal: nimbleUser, Action: "s3:DeleteObject" }),
    ],
    [
      "a Deny of s3:* from outside an address range (a Deny never grants)",
      customer({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Condition: { NotIpAddress: { "aws:SourceIp": "192.0.2.0/24" } },
      }),
    ],
    [
      "s3:DeleteObject to Nimble on another bucket",
      customer({
        Effect: "Allow",
        Principal: nimbleUser,
        Action: "s3:DeleteObject",
        Resource: "arn:aws:s3:::other-bucket/*",
      }),
    ],
    [
      "s3:GetObject and s3:PutObject to everyone",
      customer({ Effect: "Allow", Principal: "*", Action: ["s3:GetObject", "s3:PutObject"] }),
    ],
    [
      "s3:* to S3's logging service principal",
      customer({
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:*",
      }),
    ],
    [
      "NotAction s3:* (no S3 action at all) to Nimble",
      customer({ Effect: "Allow", Principal: nimbleUser, Action: undefined, NotAction: "s3:*" }),
    ],
    [
      "s3:* to Nimble with NotResource covering the bucket and all its objects",
      customer({
        Effect: "Allow",
        Principal: nimbleUser,
        Action: "s3:*",
        Resource: undefined,
        NotResource: [BUCKET, `${BUCKET}/*`],
      }),
    ],
  ])("accepts %s", (_name, statement) => {
    const existing: PolicyDocument = { Version: "2012-10-17", Statement: [statement] };

    expect(mergePolicy(existing, jobs, s3).policy.Statement[0]).toBe(statement);
  });
});

// Key policies name their own key as Resource "*", and any Resource in a key policy means that
// key. KMS "Permissions management" actions (PutKeyPolicy, CreateGrant, RetireGrant,
// RevokeGrant) and deleting or disabling are the admin rights nimble-bucket never gives.
// @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
// @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
describe("mergePolicy refuses a merged key policy that could let Nimble delete or administer the key", () => {
  const kms = kmsKeyStatements({ use: "delivery" });
  const keyStatement = (statement: Partial<Statement>): Statement => ({
    Effect: "Allow",
    Action: "kms:*",
    Resource: "*",
    ...statement,
  });

  it.each<[string, Statement, string]>([
    [
      "kms:* to webit-uploader",
      keyStatement({ Sid: "Vendor", Principal: { AWS: DELIVERY } }),
      "kms:ScheduleKeyDeletion",
    ],
    [
      "kms:DisableKey to everyone",
      keyStatement({ Principal: "*", Action: "kms:DisableKey" }),
      "kms:Disable*",
    ],
    [
      "kms:DisableKeyRotation to Nimble's account root",
      keyStatement({ Principal: { AWS: NIMBLE_ROOT }, Action: "kms:DisableKeyRotation" }),
      "kms:Disable*",
    ],
    [
      "kms:PutKeyPolicy to webit-uploader",
      keyStatement({ Principal: { AWS: DELIVERY }, Action: "kms:PutKeyPolicy" }),
      "kms:PutKeyPolicy",
    ],
    [
      "kms:CreateGrant to crawlit-scrapy while merging delivery's statement",
      keyStatement({ Principal: { AWS: JOBS }, Action: ["kms:Decrypt", "kms:CreateGrant"] }),
      "kms:CreateGrant",
    ],
    [
      "kms:RetireGrant and kms:RevokeGrant to everyone",
      keyStatement({ Principal: "*", Action: ["kms:RetireGrant", "kms:RevokeGrant"] }),
      "kms:RetireGrant",
    ],
    [
      "kms:DeleteImportedKeyMaterial with a Resource naming another key (it means this key)",
      keyStatement({
        Principal: { AWS: DELIVERY },
        Action: "kms:DeleteImportedKeyMaterial",
        Resource: "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000",
      }),
      "kms:Delete*",
    ],
    [
      "kms:* to everyone through S3 only (kms:ViaService, a condition)",
      keyStatement({
        Principal: "*",
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      }),
      "kms:ScheduleKeyDeletion",
    ],
  ])("when %s", (_name, statement, forbidden) => {
    const existing: PolicyDocument = { Version: "2012-10-17", Statement: [statement] };
    const error = catchError(() => mergePolicy(existing, kms, { scope: keyScope }));

    expect(error).toMatchObject({ code: "E_INPUT", field: "--merge" });
    expect(error.message).toContain(`could let Nimble ${forbidden} on the key`);
  });

  it.each<[string, Statement]>([
    [
      "kms:* for the key's own account",
      keyStatement({ Principal: { AWS: "arn:aws:iam::111122223333:root" } }),
    ],
    ["kms:Decrypt to everyone", keyStatement({ Principal: "*", Action: "kms:Decrypt" })],
    ["a Deny of kms:* to everyone", keyStatement({ Effect: "Deny", Principal: "*" })],
  ])("accepts %s", (_name, statement) => {
    const existing: PolicyDocument = { Version: "2012-10-17", Statement: [statement] };

    expect(mergePolicy(existing, kms, { scope: keyScope }).policy.Statement[0]).toBe(statement);
  });
});
