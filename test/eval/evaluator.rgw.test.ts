/**
 * The evaluator against the real S3 server (Ceph RGW, real bucket policies): the owner applies a
 * policy, Nimble's Jobs user (arn:aws:iam::744254827463:user/crawlit-scrapy, RGW tenant
 * 744254827463) sends the real requests, and the outcome (2xx vs 403) must equal our decision
 * (allowed vs implicitly/explicitly denied). Policies avoid aws:SecureTransport, which RGW does
 * not enforce over http (../shared/testing/servers.md).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html (HeadBucket needs s3:ListBucket)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html (s3:prefix, s3:delimiter, s3:max-keys)
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
  type ListObjectsV2CommandInput,
} from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { evaluatePolicy } from "../../src/policy/eval/evaluate.js";
import type { EvalRequest } from "../../src/policy/eval/types.js";
import type { PolicyDocument } from "../../src/policy/types.js";
import { RGW_USERS, rgwEndpoint } from "../support/servers.js";
import { NIMBLE, generateCases } from "./generator.js";

type User = "owner" | "jobs";

/**
 * TEST-ONLY: the jobs user lives in RGW tenant 744254827463 and must address the owner's
 * (untenanted) bucket `b` as `:b`; against AWS the name is used as it is.
 */
function client(user: User): S3Client {
  const s3 = new S3Client({
    endpoint: rgwEndpoint(),
    region: "us-east-1",
    forcePathStyle: true,
    credentials: RGW_USERS[user],
    maxAttempts: 1,
  });
  if (user === "jobs") {
    s3.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Bucket?: string };
        if (input.Bucket && !input.Bucket.startsWith(":")) input.Bucket = `:${input.Bucket}`;
        return next(args);
      },
      { step: "initialize", name: "testOnlyTenantBucket", priority: "high" },
    );
  }
  return s3;
}

const OBJECTS = ["input/example", "output/example", "inxut/a"];

/** Creates a bucket, uploads the objects, then applies the policy (all as the owner). */
async function bucketWith(label: string, policy: (bucket: string) => PolicyDocument) {
  const bucket = `nb-eval-${label}-${randomBytes(3).toString("hex")}`;
  const owner = client("owner");
  await owner.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const Key of OBJECTS) {
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "id\n" }));
  }
  const document = policy(bucket);
  await owner.send(
    new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(document) }),
  );
  owner.destroy();
  return { bucket, document };
}

/** A real request and how the bucket policy sees it. */
interface Probe {
  name: string;
  send: (s3: S3Client, bucket: string) => Promise<unknown>;
  request: (bucket: string) => EvalRequest;
}

const base = (action: string, resource: string, context: Record<string, string> = {}) => ({
  principal: NIMBLE,
  action,
  resource,
  context: { "aws:PrincipalArn": NIMBLE, "aws:username": "crawlit-scrapy", ...context },
  unknownKeys: [],
});

function list(name: string, input: Omit<ListObjectsV2CommandInput, "Bucket">): Probe {
  const context: Record<string, string> = {};
  if (input.Prefix !== undefined) context["s3:prefix"] = input.Prefix;
  if (input.Delimiter !== undefined) context["s3:delimiter"] = input.Delimiter;
  if (input.MaxKeys !== undefined) context["s3:max-keys"] = String(input.MaxKeys);
  return {
    name,
    send: (s3, Bucket) => s3.send(new ListObjectsV2Command({ Bucket, ...input })),
    request: (bucket) => base("s3:ListBucket", `arn:aws:s3:::${bucket}`, context),
  };
}

function get(key: string): Probe {
  return {
    name: `GetObject ${key}`,
    send: (s3, Bucket) => s3.send(new GetObjectCommand({ Bucket, Key: key })),
    request: (bucket) => base("s3:GetObject", `arn:aws:s3:::${bucket}/${key}`),
  };
}

function put(key: string): Probe {
  return {
    name: `PutObject ${key}`,
    send: (s3, Bucket) =>
      s3.send(new PutObjectCommand({ Bucket, Key: key, Body: "", ContentLength: 0 })),
    request: (bucket) => base("s3:PutObject", `arn:aws:s3:::${bucket}/${key}`),
  };
}

const PROBES: Probe[] = [
  {
    name: "HeadBucket",
    send: (s3, Bucket) => s3.send(new HeadBucketCommand({ Bucket })),
    request: (bucket) => base("s3:ListBucket", `arn:aws:s3:::${bucket}`),
  },
  list("ListObjectsV2 prefix=input/ max-keys=1", { Prefix: "input/", MaxKeys: 1 }),
  list("ListObjectsV2 prefix=input/ delimiter=/", { Prefix: "input/", Delimiter: "/" }),
  list("ListObjectsV2 prefix=output/ max-keys=50", { Prefix: "output/", MaxKeys: 50 }),
  get("input/example"),
  get("output/example"),
  get("inxut/a"),
  put("output/.nimble-connection-test"),
  put("input/x.csv"),
];

/** 2xx is allowed, 403 denied; anything else is a test failure. */
async function outcome(send: () => Promise<unknown>): Promise<"allowed" | "denied"> {
  try {
    await send();
    return "allowed";
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 403) return "denied";
    throw error;
  }
}

const nimble = { AWS: NIMBLE };
const obj = (bucket: string, path: string) => `arn:aws:s3:::${bucket}/${path}`;

const POLICIES: [string, (bucket: string) => PolicyDocument][] = [
  [
    "nimble-template",
    (b) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: nimble,
          Action: "s3:ListBucket",
          Resource: `arn:aws:s3:::${b}`,
        },
        { Effect: "Allow", Principal: nimble, Action: "s3:GetObject", Resource: obj(b, "input/*") },
        {
          Effect: "Allow",
          Principal: nimble,
          Action: ["s3:GetObject", "s3:PutObject"],
          Resource: obj(b, "output/*"),
        },
      ],
    }),
  ],
  [
    "prefix-and-delimiter",
    (b) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: nimble,
          Action: "s3:ListBucket",
          Resource: `arn:aws:s3:::${b}`,
          Condition: { StringLike: { "s3:prefix": ["input/*", "output/*"], "s3:delimiter": "/" } },
        },
        { Effect: "Allow", Principal: nimble, Action: "s3:GetObject", Resource: obj(b, "in?ut/*") },
      ],
    }),
  ],
  [
    "deny-list-outside-input",
    (b) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: nimble,
          Action: "s3:*",
          Resource: [`arn:aws:s3:::${b}`, obj(b, "*")],
        },
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:ListBucket",
          Resource: `arn:aws:s3:::${b}`,
          Condition: { StringNotEquals: { "s3:prefix": "input/" } },
        },
      ],
    }),
  ],
  [
    "explicit-deny-output-writes",
    (b) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::744254827463:root" },
          Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
          Resource: [`arn:aws:s3:::${b}`, obj(b, "*")],
        },
        { Effect: "Deny", Principal: nimble, Action: "s3:PutObject", Resource: obj(b, "output/*") },
      ],
    }),
  ],
  [
    "max-keys-limit",
    (b) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: nimble,
          Action: "s3:ListBucket",
          Resource: `arn:aws:s3:::${b}`,
          Condition: { NumericLessThanEquals: { "s3:max-keys": "10" } },
        },
        { Effect: "Allow", Principal: "*", Action: "s3:Get*", Resource: obj(b, "output/*") },
      ],
    }),
  ],
];

/** Seeded policies without conditions, retargeted at the test bucket. */
const GENERATED: [string, (bucket: string) => PolicyDocument][] = generateCases(77, 12, {
  conditions: false,
  arnPrincipals: true,
}).map((c, i) => [
  `generated-${i}`,
  (b) =>
    JSON.parse(
      JSON.stringify(c.policy).replaceAll("arn:aws:s3:::bkt", `arn:aws:s3:::${b}`),
    ) as PolicyDocument,
]);

/**
 * Where RGW departs from AWS's documentation (the documentation decides; the evaluator follows
 * it and cases.test.ts asserts it):
 * - HeadBucket under a Deny with `StringNotEquals s3:prefix`: HeadBucket carries no s3:prefix,
 *   and AWS documents that a negated operator on a missing key is true, so AWS denies; RGW 16.2
 *   allows it.
 *   @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * - Also seen (so no such policy is applied here): RGW 16.2 ignores an Allow statement written
 *   with NotAction, where AWS allows every action not listed.
 *   @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 */
const RGW_DIFFERS: Record<string, string[]> = {
  "deny-list-outside-input": ["HeadBucket"],
};

describe.skipIf(!rgwEndpoint())("evaluator decisions match RGW's real outcomes", () => {
  it.each([...POLICIES, ...GENERATED])("%s", async (label, policy) => {
    const { bucket, document } = await bucketWith(label.slice(0, 20), policy);
    const jobs = client("jobs");
    const rows: string[] = [];
    const expected: string[] = [];
    const probes = PROBES.filter((p) => !RGW_DIFFERS[label]?.includes(p.name));
    for (const probe of probes) {
      const decision = evaluatePolicy(document, probe.request(bucket)).decision;
      expect(decision).not.toBe("depends");
      expected.push(`${probe.name}: ${decision === "allowed" ? "allowed" : "denied"}`);
      rows.push(`${probe.name}: ${await outcome(() => probe.send(jobs, bucket))}`);
    }
    jobs.destroy();

    expect(rows).toEqual(expected);
  });
});
