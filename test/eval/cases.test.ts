/**
 * The s3-policy-eval and kms-eval cases of ../shared/cases as table tests: each operation's
 * decision must equal the result AWS documents for it (fixture: fixtures/cases.json, copied from
 * the shared cases). "allow" = allowed, "deny-implicit" = implicitly-denied, "deny-explicit" =
 * explicitly-denied; "conditional" lines are asserted through their `requests` entries, and
 * "not asserted" / "not evaluated" lines assert nothing.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluatePolicy } from "../../src/policy/eval/evaluate.js";
import {
  nimbleKmsRequests,
  nimbleRequests,
  type NimbleRequest,
} from "../../src/policy/eval/nimble-requests.js";
import type { Decision } from "../../src/policy/eval/types.js";
import type { PolicyDocument } from "../../src/policy/types.js";

interface CaseFixture {
  input: Record<string, unknown>;
  expected: Record<string, unknown>;
}

const cases = JSON.parse(
  readFileSync(new URL("./fixtures/cases.json", import.meta.url), "utf8"),
) as Record<string, CaseFixture>;

const BUCKET = "example-bucket";
const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const AWS_MANAGED_KEY_ARN =
  "arn:aws:kms:us-east-1:111122223333:key/0000aaaa-11bb-22cc-33dd-444455556666";

function fixture(id: string): CaseFixture {
  const found = cases[id];
  if (!found) throw new Error(`missing case ${id}`);
  return found;
}

function policy(id: string, field: string): PolicyDocument {
  return fixture(id).input[field] as PolicyDocument;
}

function s3Request(operation: string): NimbleRequest {
  const found = nimbleRequests({ use: "jobs", bucket: BUCKET }).find(
    (r) => r.operation === operation,
  );
  if (!found) throw new Error(`no Nimble request ${operation}`);
  return found;
}

function kmsRequest(operation: string, keyArn: string): NimbleRequest {
  const found = nimbleKmsRequests({ use: "jobs", keyArn }).find((r) => r.operation === operation);
  if (!found) throw new Error(`no Nimble KMS request ${operation}`);
  return found;
}

/** The case's plain expectation word as a Decision, or undefined when the line is not plain. */
function plainDecision(text: string): Decision | undefined {
  const word = /^(allow|deny-implicit|deny-explicit)\b/.exec(text)?.[1];
  const map: Record<string, Decision> = {
    allow: "allowed",
    "deny-implicit": "implicitly-denied",
    "deny-explicit": "explicitly-denied",
  };
  return word ? map[word] : undefined;
}

/** Every plain operation line of the S3 cases, read from the fixture itself. */
function plainRows(): [string, string, string, Decision][] {
  const sources: [string, string, string][] = [
    ["C01", "bucket_policy", "operations"],
    ["C02", "bucket_policy", "operations"],
    ["C11", "bucket_policy", "operations"],
    ["C12", "bucket_policy", "operations"],
    ["C15", "bucket_policy_A", "policy_A_operations"],
    ["C15", "bucket_policy_C", "policy_C_operations"],
  ];
  return sources.flatMap(([id, field, key]) =>
    Object.entries(fixture(id).expected[key] as Record<string, string>).flatMap(
      ([operation, text]) => {
        const decision = plainDecision(text);
        return decision
          ? [[id, field, operation, decision] as [string, string, string, Decision]]
          : [];
      },
    ),
  );
}

describe("S3 cases: each Nimble operation gets the documented decision", () => {
  const rows = plainRows();

  it("reads every plain expectation of the S3 cases", () => {
    expect(rows.length).toBe(6 + 5 + 5 + 6 + 6 + 6);
  });

  it.each(rows)("%s %s: %s is %s", (id, field, operation, decision) => {
    expect(evaluatePolicy(policy(id, field), s3Request(operation)).decision).toBe(decision);
  });
});

interface RequestRow {
  name: string;
  id: string;
  field: string;
  request: NimbleRequest;
  decision: Decision;
  dependsOn?: string[];
}

function listing(context: Record<string, string>): NimbleRequest {
  const base = s3Request("HeadBucket");
  return { ...base, operation: "ListObjectsV2", context: { ...base.context, ...context } };
}

function withContext(operation: string, context: Record<string, string>): NimbleRequest {
  const base = s3Request(operation);
  return { ...base, context: { ...base.context, ...context }, unknownKeys: [] };
}

const requestRows: RequestRow[] = [
  {
    name: "C01: HeadBucket is denied when ListBucket is granted only on bucket/*",
    id: "C01",
    field: "bucket_policy",
    request: s3Request("HeadBucket"),
    decision: "implicitly-denied",
  },
  {
    name: "C01: PutObject into input/ is allowed by the bucket/* grant",
    id: "C01",
    field: "bucket_policy",
    request: {
      ...s3Request("PutObject(output/*)"),
      resource: `arn:aws:s3:::${BUCKET}/input/x.csv`,
    },
    decision: "allowed",
  },
  {
    name: "C02: listing input/ with delimiter / is allowed",
    id: "C02",
    field: "bucket_policy",
    request: listing({ "s3:prefix": "input/", "s3:delimiter": "/" }),
    decision: "allowed",
  },
  {
    name: "C02: listing output/ with delimiter / and max-keys 1 is allowed",
    id: "C02",
    field: "bucket_policy",
    request: listing({ "s3:prefix": "output/", "s3:delimiter": "/", "s3:max-keys": "1" }),
    decision: "allowed",
  },
  {
    name: "C02: listing output/ without a delimiter is denied",
    id: "C02",
    field: "bucket_policy",
    request: listing({ "s3:prefix": "output/" }),
    decision: "implicitly-denied",
  },
  {
    name: "C02: listing without a prefix is denied",
    id: "C02",
    field: "bucket_policy",
    request: listing({}),
    decision: "implicitly-denied",
  },
  {
    name: "C02: HeadBucket is denied when ListBucket needs s3:prefix and s3:delimiter",
    id: "C02",
    field: "bucket_policy",
    request: s3Request("HeadBucket"),
    decision: "implicitly-denied",
  },
  {
    name: "C02: the probe's one-key listing (no delimiter) is denied",
    id: "C02",
    field: "bucket_policy",
    request: s3Request("ListObjectsV2(input/)"),
    decision: "implicitly-denied",
  },
  {
    name: "C02: Jobs' own listing depends on the delimiter it sends",
    id: "C02",
    field: "bucket_policy",
    request: s3Request("ListBucket(bucket)"),
    decision: "depends",
    dependsOn: ["s3:delimiter"],
  },
  {
    name: "C11: the probe's PutObject without an SSE header is explicitly denied",
    id: "C11",
    field: "bucket_policy",
    request: s3Request("PutObject(output/.nimble-connection-test)"),
    decision: "explicitly-denied",
  },
  {
    name: "C11: PutObject with x-amz-server-side-encryption AES256 is allowed",
    id: "C11",
    field: "bucket_policy",
    request: withContext("PutObject(output/*)", { "s3:x-amz-server-side-encryption": "AES256" }),
    decision: "allowed",
  },
  {
    name: "C11: Nimble's uploads depend on the SSE header they send (undocumented)",
    id: "C11",
    field: "bucket_policy",
    request: s3Request("PutObject(output/*)"),
    decision: "depends",
    dependsOn: ["s3:x-amz-server-side-encryption"],
  },
  {
    name: "C12: HeadBucket is explicitly denied outside the VPC endpoint",
    id: "C12",
    field: "bucket_policy",
    request: s3Request("HeadBucket"),
    decision: "explicitly-denied",
  },
  {
    // @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    // "you must also specify the account ARN of the not-denied principal. Otherwise, the policy
    // might deny access to the entire account that contains the principal."
    name: "C15 B: NotPrincipal listing the user without its account root still denies it",
    id: "C15",
    field: "bucket_policy_B",
    request: s3Request("GetObject(input/*)"),
    decision: "explicitly-denied",
  },
];

describe("S3 cases: the requests each case spells out", () => {
  it.each(requestRows)("$name", ({ id, field, request, decision, dependsOn }) => {
    const evaluation = evaluatePolicy(policy(id, field), request);

    expect(evaluation.decision).toBe(decision);
    if (dependsOn) expect(evaluation.dependsOn).toEqual(dependsOn);
  });
});

interface KmsRow {
  name: string;
  id: string;
  operation: string;
  keyArn: string;
  decision: Decision;
}

// S3 calls KMS with Nimble's credentials: GetObject -> kms:Decrypt, PutObject ->
// kms:GenerateDataKey, UploadPart of a multipart upload -> kms:Decrypt.
// @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
const kmsRows: KmsRow[] = [
  {
    name: "C06: GetObject(input/*) lacks kms:Decrypt",
    id: "C06",
    operation: "GetObject(input/*)",
    keyArn: KEY_ARN,
    decision: "implicitly-denied",
  },
  {
    name: "C06: GetObject(output/*) lacks kms:Decrypt",
    id: "C06",
    operation: "GetObject(output/*)",
    keyArn: KEY_ARN,
    decision: "implicitly-denied",
  },
  {
    name: "C06: single-request PutObject has kms:GenerateDataKey",
    id: "C06",
    operation: "PutObject(output/*)",
    keyArn: KEY_ARN,
    decision: "allowed",
  },
  {
    name: "C06: multipart UploadPart lacks kms:Decrypt",
    id: "C06",
    operation: "UploadPart(output/*)",
    keyArn: KEY_ARN,
    decision: "implicitly-denied",
  },
  {
    name: "C08: aws/s3 key refuses Decrypt for another caller account (input)",
    id: "C08",
    operation: "GetObject(input/*)",
    keyArn: AWS_MANAGED_KEY_ARN,
    decision: "implicitly-denied",
  },
  {
    name: "C08: aws/s3 key refuses Decrypt for another caller account (output)",
    id: "C08",
    operation: "GetObject(output/*)",
    keyArn: AWS_MANAGED_KEY_ARN,
    decision: "implicitly-denied",
  },
];

describe("KMS cases: the key policy decides the KMS calls S3 makes for Nimble", () => {
  it.each(kmsRows)("$name", ({ id, operation, keyArn, decision }) => {
    const request = kmsRequest(operation, keyArn);

    expect(evaluatePolicy(policy(id, "kms_key_policy"), request).decision).toBe(decision);
  });

  it.each(["C06", "C08"])("%s: ListBucket(bucket) is allowed by the bucket policy", (id) => {
    const request = s3Request("ListBucket(bucket)");

    expect(evaluatePolicy(policy(id, "bucket_policy"), request).decision).toBe("allowed");
  });
});
