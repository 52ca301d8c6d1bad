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
const s3: MergeOptions = { kind: "s3-bucket-policy", ownedSids: s3OwnedSids("jobs") };

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
      kind: "s3-bucket-policy",
      ownedSids: s3OwnedSids("delivery"),
    });

    expect(result.policy.Statement).toEqual(documented);
    expect(result.removed).toEqual([{ index: 0, sid: "NimbleCloudDeliveryBucketLocation" }]);
  });

  // S3: "Bucket policies are limited to 20 KB in size."
  // @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html
  it("fails with E_LIMIT when the merged bucket policy exceeds 20 KB", () => {
    const big = bigPolicy(POLICY_SIZE_LIMITS["s3-bucket-policy"]);
    const error = catchError(() => mergePolicy(big, jobs, s3));

    expect(error.code).toBe("E_LIMIT");
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

    expect(() => mergePolicy(existing, kms, { kind: "kms-key-policy" })).not.toThrow();
    expect(
      catchError(() => mergePolicy(bigPolicy(33_000), kms, { kind: "kms-key-policy" })).code,
    ).toBe("E_LIMIT");
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
