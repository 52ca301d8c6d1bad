import { describe, expect, it } from "vitest";
import { mergedDeleteGrants, type DeleteCheckScope } from "../../src/policy/guard-merged.js";
import type { PolicyDocument, Statement } from "../../src/policy/types.js";

const JOBS = "arn:aws:iam::744254827463:user/crawlit-scrapy";
const s3Scope = (principal = JOBS): DeleteCheckScope => ({
  kind: "s3-bucket-policy",
  principal,
  bucket: "acme-bkt",
});
const policy = (statement: Statement): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [statement],
});
const allow = (fields: Partial<Statement>): Statement => ({
  Sid: "X",
  Effect: "Allow",
  Action: "s3:DeleteObject",
  Resource: "arn:aws:s3:::acme-bkt/*",
  ...fields,
});

// Each row could give a Nimble identity a delete on the bucket, so a merge must refuse it.
describe("the merged-policy delete check", () => {
  it.each([
    {
      name: "a policy variable in NotResource (it may exclude nothing)",
      statement: allow({
        Principal: { AWS: JOBS },
        Resource: undefined,
        NotResource: ["arn:aws:s3:::${aws:username}", "arn:aws:s3:::${aws:username}/*"],
      }),
    },
    {
      name: "a canonical user id (it names an account that could be Nimble's)",
      statement: allow({ Principal: { CanonicalUser: "79a59df900b949e55d96a1e698fbace" } }),
    },
    {
      name: "a federated principal",
      statement: allow({ Principal: { Federated: "arn:aws:iam::744254827463:saml-provider/x" } }),
    },
    { name: "an unknown principal kind", statement: allow({ Principal: { aws: "*" } }) },
    { name: "a unique id", statement: allow({ Principal: { AWS: "AIDAEXAMPLEUNIQUEID12" } }) },
    {
      name: "a bucket ARN in other case",
      statement: allow({ Principal: { AWS: JOBS }, Resource: "arn:AWS:S3:::ACME-BKT/*" }),
    },
  ])("refuses $name", ({ statement }) => {
    expect(mergedDeleteGrants(policy(statement), s3Scope())).toHaveLength(1);
  });

  it.each([
    ["a session of the override role", "arn:aws:sts::123456789012:assumed-role/r/nimble"],
    ["the override role in other case", "arn:aws:iam::123456789012:role/R"],
  ])("refuses %s", (_name, arn) => {
    const statement = allow({ Principal: { AWS: arn } });

    expect(
      mergedDeleteGrants(policy(statement), s3Scope("arn:aws:iam::123456789012:role/r")),
    ).toHaveLength(1);
  });

  it.each([
    ["a service principal", allow({ Principal: { Service: "cloudfront.amazonaws.com" } })],
    ["another account", allow({ Principal: { AWS: "arn:aws:iam::111122223333:root" } })],
    ["another bucket", allow({ Principal: { AWS: JOBS }, Resource: "arn:aws:s3:::other/*" })],
  ])("lets %s through", (_name, statement) => {
    expect(mergedDeleteGrants(policy(statement), s3Scope())).toEqual([]);
  });

  it("refuses a canonical user with a KMS admin right", () => {
    const statement: Statement = {
      Effect: "Allow",
      Principal: { CanonicalUser: "abc" },
      Action: "kms:ScheduleKeyDeletion",
      Resource: "*",
    };
    const scope: DeleteCheckScope = { kind: "kms-key-policy", principal: JOBS };

    expect(mergedDeleteGrants(policy(statement), scope)).toHaveLength(1);
  });
});
