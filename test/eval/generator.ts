/**
 * A seeded generator of resource policies and fully known requests for the differential test
 * (test/eval/differential.test.ts), the larger run (scripts/differential.mjs) and the bench.
 * Values are drawn from small pools so that statements often match, and every condition key the
 * generated policies read is either present with a known value or absent (no unknown keys).
 */
import type { EvalRequest } from "../../src/policy/eval/types.js";
import type { ConditionBlock, PolicyDocument, Statement } from "../../src/policy/types.js";

/** mulberry32: a small, fast, seeded PRNG. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)] as T;
}

function some<T>(rng: Rng, list: readonly T[], max = 3): T[] {
  const n = 1 + Math.floor(rng() * max);
  return [...new Set(Array.from({ length: n }, () => pick(rng, list)))];
}

function oneOrMany<T>(rng: Rng, list: T[]): T | T[] {
  return list.length === 1 && rng() < 0.5 ? (list[0] as T) : list;
}

export const NIMBLE = "arn:aws:iam::744254827463:user/crawlit-scrapy";
export const OTHER_USER = "arn:aws:iam::744254827463:user/someone-else";
export const STRANGER = "arn:aws:iam::999988887777:user/stranger";
export const RESOURCE_ACCOUNT = "111122223333";

const PRINCIPAL_VALUES = [
  NIMBLE,
  NIMBLE,
  OTHER_USER,
  STRANGER,
  "arn:aws:iam::744254827463:root",
  "744254827463",
  "arn:aws:iam::999988887777:root",
  "*",
];

const ACTIONS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:ListBucket",
  "s3:Get*",
  "s3:*",
  "*",
  "s3:?etObject",
  "S3:getobject",
  "s3:List*",
  "s3:DeleteObject",
  "s3:AbortMultipartUpload",
];

const RESOURCES = [
  "arn:aws:s3:::bkt",
  "arn:aws:s3:::bkt/*",
  "arn:aws:s3:::bkt/input/*",
  "arn:aws:s3:::bkt/output/*",
  "arn:aws:s3:::bkt/in?ut/*",
  "arn:aws:s3:::bkt*",
  "arn:aws:s3:::other/*",
  "arn:aws:s3:::*",
  "*",
  "arn:aws:s3:::BKT/*",
];

/** Concrete requests: action and resource pools. */
const REQUEST_ACTIONS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:ListBucket",
  "s3:AbortMultipartUpload",
  "s3:DeleteObject",
];
const OBJECT_KEYS = ["input/example", "output/example", "inxut/a", "other/x", "input/sub/y"];

/** The condition keys generated policies read, each with a pool of values. */
interface KeySpec {
  key: string;
  operators: string[];
  values: string[];
  /** multi-valued (ForAnyValue / ForAllValues) */
  multi?: boolean;
}

const STRING_OPS = ["StringEquals", "StringNotEquals", "StringLike", "StringNotLike"];
const STRING_CASE_OPS = ["StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"];
const NUMERIC_OPS = [
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
];
const DATE_OPS = NUMERIC_OPS.map((op) => op.replace("Numeric", "Date"));
const ARN_OPS = ["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"];

const KEYS: KeySpec[] = [
  { key: "aws:SecureTransport", operators: ["Bool"], values: ["true", "false"] },
  {
    key: "s3:prefix",
    operators: [...STRING_OPS, ...STRING_CASE_OPS],
    values: ["input/", "input/*", "output/", "Input/", "", "in?ut/", "*"],
  },
  { key: "s3:max-keys", operators: NUMERIC_OPS, values: ["1", "10", "1000"] },
  {
    key: "aws:CurrentTime",
    operators: DATE_OPS,
    values: ["2024-06-01T00:00:00Z", "2030-01-01T00:00:00Z", "2020-01-01T00:00:00Z"],
  },
  {
    key: "aws:SourceIp",
    operators: ["IpAddress", "NotIpAddress"],
    values: ["203.0.113.0/24", "198.51.100.7/32", "2001:db8::/32", "10.0.0.0/8"],
  },
  {
    key: "aws:PrincipalArn",
    operators: ARN_OPS,
    values: [NIMBLE, "arn:aws:iam::744254827463:user/*", "arn:aws:iam::*:user/crawlit-?crapy"],
  },
  { key: "aws:SourceVpce", operators: STRING_OPS, values: ["vpce-1", "vpce-*"] },
  {
    key: "aws:TagKeys",
    operators: STRING_OPS.map((op) => `ForAnyValue:${op}`).concat(
      STRING_OPS.map((op) => `ForAllValues:${op}`),
    ),
    values: ["team", "cost", "t*"],
    multi: true,
  },
  {
    key: "s3:x-amz-server-side-encryption",
    operators: STRING_OPS,
    values: ["AES256", "aws:kms"],
  },
];

/** Context values the requests draw from (absent when not drawn). */
const CONTEXT_POOL: Record<string, (string | string[])[]> = {
  "aws:SecureTransport": ["true", "false"],
  "s3:prefix": ["input/", "output/", "", "input/sub/", "Input/"],
  "s3:max-keys": ["1", "1000"],
  "aws:CurrentTime": ["2024-06-01T00:00:00Z", "2025-03-01T12:00:00Z"],
  "aws:SourceIp": ["203.0.113.5", "198.51.100.7", "2001:db8::1", "192.0.2.1"],
  "aws:SourceVpce": ["vpce-1", "vpce-2"],
  "aws:TagKeys": [["team"], ["team", "cost"], ["other"], ["team", "other"]],
  "s3:x-amz-server-side-encryption": ["AES256", "aws:kms"],
};

/**
 * S3 sets service keys only on the actions that carry them (s3:prefix and s3:max-keys on
 * ListBucket, the encryption header on PutObject); global aws: keys go with every request.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
function appliesTo(key: string, action: string): boolean {
  if (key === "s3:prefix" || key === "s3:max-keys") return action === "s3:ListBucket";
  if (key.startsWith("s3:x-amz-")) return action === "s3:PutObject";
  return true;
}

/** Which parts of the language a generated policy may use. */
export interface GeneratorOptions {
  /** conditions on statements (default true) */
  conditions?: boolean;
  /** only ARN and "*" principals (RGW does not accept bare account ids) */
  arnPrincipals?: boolean;
  notPrincipal?: boolean;
  /** short ARN patterns such as `arn:aws:s3*` (S3 refuses them in a bucket policy) */
  shortArns?: boolean;
  variables?: boolean;
  keyCase?: boolean;
}

/** A generated policy and a request to evaluate against it. */
export interface GeneratedCase {
  policy: PolicyDocument;
  request: EvalRequest;
}

function condition(rng: Rng, options: GeneratorOptions): ConditionBlock {
  const block: ConditionBlock = {};
  for (let i = 0, n = 1 + Math.floor(rng() * 2); i < n; i++) {
    const spec = pick(rng, KEYS);
    let op = pick(rng, spec.operators);
    if (rng() < 0.15) op = `${op}IfExists`;
    if (rng() < 0.1) op = "Null";
    const key = options.keyCase && rng() < 0.3 ? spec.key.toUpperCase() : spec.key;
    const values = op === "Null" ? [pick(rng, ["true", "false"])] : some(rng, spec.values, 2);
    block[op] = { ...block[op], [key]: oneOrMany(rng, values) };
  }
  return block;
}

function statement(rng: Rng, options: GeneratorOptions): Statement {
  const effect = rng() < 0.65 ? "Allow" : "Deny";
  const s: Statement = { Effect: effect };
  if (rng() < 0.3) s.Sid = `S${Math.floor(rng() * 100)}`;
  const pool = options.arnPrincipals
    ? PRINCIPAL_VALUES.filter((p) => !/^\d+$/.test(p))
    : PRINCIPAL_VALUES;
  const principals = some(rng, pool);
  const block = principals.includes("*") && rng() < 0.5 ? "*" : { AWS: oneOrMany(rng, principals) };
  if (effect === "Deny" && options.notPrincipal && rng() < 0.2 && block !== "*") {
    s.NotPrincipal = block;
  } else s.Principal = block;
  const actions = oneOrMany(rng, some(rng, ACTIONS));
  if (rng() < 0.15) s.NotAction = actions;
  else s.Action = actions;
  const resourcePool = [
    ...RESOURCES,
    ...(options.variables ? ["arn:aws:s3:::bkt/${aws:username}/*", "arn:aws:s3:::bkt/${*}*"] : []),
    ...(options.shortArns ? ["arn:aws:s3*"] : []),
  ];
  const resources = oneOrMany(rng, some(rng, resourcePool));
  if (rng() < 0.1) s.NotResource = resources;
  else s.Resource = resources;
  if (rng() < 0.55 && options.conditions !== false) s.Condition = condition(rng, options);
  return s;
}

function request(rng: Rng): EvalRequest {
  const principal = pick(rng, [NIMBLE, NIMBLE, NIMBLE, OTHER_USER, STRANGER]);
  const action = pick(rng, REQUEST_ACTIONS);
  const resource =
    action === "s3:ListBucket"
      ? pick(rng, ["arn:aws:s3:::bkt", "arn:aws:s3:::other"])
      : `arn:aws:s3:::${pick(rng, ["bkt", "bkt", "other"])}/${pick(rng, OBJECT_KEYS)}`;
  const context: Record<string, string | string[]> = {
    "aws:PrincipalArn": principal,
    "aws:PrincipalAccount": principal.split(":")[4] ?? "",
    "aws:username": principal.split("/").pop() ?? "",
  };
  for (const [key, values] of Object.entries(CONTEXT_POOL)) {
    if (rng() < 0.6 && appliesTo(key, action)) context[key] = pick(rng, values);
  }
  return { principal, action, resource, context, unknownKeys: [] };
}

/**
 * Generates `count` policies with one request each, deterministically from `seed`.
 * @param seed - any 32-bit integer
 * @param count - number of cases
 */
export function generateCases(
  seed: number,
  count: number,
  options: GeneratorOptions = {},
): GeneratedCase[] {
  const rng = random(seed);
  return Array.from({ length: count }, () => {
    const statements = Array.from({ length: 1 + Math.floor(rng() * 4) }, () =>
      statement(rng, options),
    );
    const policy: PolicyDocument = { Version: "2012-10-17", Statement: statements };
    return { policy, request: request(rng) };
  });
}
