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
  prefixes: ["input/", "output/"],
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
      scope: { ...bucketScope, principal: DELIVERY, prefixes: [""] },
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
  ])("when %s", (_name, statements, message) => {
    const existing: PolicyDocument = { Version: "2012-10-17", Statement: statements };
    const error = catchError(() => mergePolicy(existing, jobs, s3));

    expect(error).toMatchObject({ code: "E_INPUT", field: "--merge" });
    expect(error.message).toMatch(message);
  });
});

// A resource policy statement applies to a request when Principal, Action and Resource match;
// an account principal (…:root) covers every principal of that account, `*` covers everyone.
// @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
describe("mergePolicy refuses a merged bucket policy that grants Nimble a delete", () => {
  it.each<[string, Statement, RegExp]>([
    [
      "a customer Allow of s3:DeleteObject and s3:* to crawlit-scrapy",
      customer({
        Sid: "Other",
        Effect: "Allow",
        Principal: nimbleUser,
        Action: ["s3:DeleteObject", "s3:*"],
      }),
      /Statement\[0\] \(Sid Other\) allows Nimble's principal s3:DeleteObject on arn:aws:s3:::example-bucket\/input\//,
    ],
    [
      "s3:Delete* to Nimble's account root, object ARN under output/ only",
      customer({
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::744254827463:root" },
        Action: "s3:Delete*",
        Resource: "arn:aws:s3:::example-bucket/output/*",
      }),
      /Statement\[0\] allows Nimble's principal s3:DeleteObject on arn:aws:s3:::example-bucket\/output\//,
    ],
    [
      "s3:PutBucketPolicy to everyone on the bucket ARN",
      customer({
        Sid: "Open",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:PutBucketPolicy",
        Resource: "arn:aws:s3:::example-bucket",
      }),
      /\(Sid Open\) allows Nimble's principal s3:PutBucketPolicy on arn:aws:s3:::example-bucket;/,
    ],
    [
      "s3:* to everyone from an address range (depends on aws:SourceIp)",
      customer({
        Sid: "Office",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:*",
        Condition: { IpAddress: { "aws:SourceIp": "192.0.2.0/24" } },
      }),
      /\(Sid Office\) may allow \(depending on aws:SourceIp\) Nimble's principal s3:DeleteObject/,
    ],
  ])("when %s", (_name, statement, message) => {
    const existing: PolicyDocument = { Version: "2012-10-17", Statement: [statement] };
    const error = catchError(() => mergePolicy(existing, jobs, s3));

    expect(error).toMatchObject({ code: "E_INPUT", field: "--merge" });
    expect(error.message).toMatch(message);
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
      "s3:* to everyone in another account (aws:PrincipalAccount is known)",
      customer({
        Effect: "Allow",
        Principal: "*",
        Action: "s3:*",
        Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" } },
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
  ])("accepts %s", (_name, statement) => {
    const existing: PolicyDocument = { Version: "2012-10-17", Statement: [statement] };

    expect(mergePolicy(existing, jobs, s3).policy.Statement[0]).toBe(statement);
  });
});

// Key policies name the key as Resource "*".
// @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
describe("mergePolicy refuses a merged key policy that lets Nimble delete or disable the key", () => {
  const kms = kmsKeyStatements({ use: "delivery" });
  const keyStatement = (statement: Partial<Statement>): Statement => ({
    Effect: "Allow",
    Action: "kms:*",
    Resource: "*",
    ...statement,
  });

  it.each<[string, Statement, RegExp]>([
    [
      "kms:* to webit-uploader",
      keyStatement({ Sid: "Vendor", Principal: { AWS: DELIVERY } }),
      /\(Sid Vendor\) allows Nimble's principal kms:ScheduleKeyDeletion on \*/,
    ],
    [
      "kms:DisableKey to everyone",
      keyStatement({ Principal: "*", Action: "kms:DisableKey" }),
      /Statement\[0\] allows Nimble's principal kms:DisableKey on \*/,
    ],
  ])("when %s", (_name, statement, message) => {
    const existing: PolicyDocument = { Version: "2012-10-17", Statement: [statement] };
    const error = catchError(() => mergePolicy(existing, kms, { scope: keyScope }));

    expect(error).toMatchObject({ code: "E_INPUT", field: "--merge" });
    expect(error.message).toMatch(message);
  });

  it("accepts kms:* for the key's own account", () => {
    const owner = keyStatement({ Principal: { AWS: "arn:aws:iam::111122223333:root" } });
    const existing: PolicyDocument = { Version: "2012-10-17", Statement: [owner] };

    expect(mergePolicy(existing, kms, { scope: keyScope }).policy.Statement).toHaveLength(2);
  });
});
