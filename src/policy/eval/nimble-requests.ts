/**
 * The requests Nimble makes, as a bucket or key policy sees them: action, resource and the
 * request context, with every key Nimble's request carries but we cannot know listed as unknown.
 * @see ../shared/nimble/facts.md (sections 2 and 3)
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
 */
import {
  TEST_OBJECT_NAME,
  resolveScope,
  type NimbleScope,
  type ResolvedScope,
} from "../../nimble.js";
import type { EvalRequest } from "./types.js";

/** A request Nimble makes, labelled with the operation it serves, e.g. `GetObject(input/*)`. */
export interface NimbleRequest extends EvalRequest {
  /** e.g. "ListBucket(bucket)", "GetObject(input/*)", "HeadBucket" */
  operation: string;
  /**
   * The Test Connection modes whose result this request decides (absent: not part of it). A step
   * that runs only in some cases (HeadObject: when the prefix holds an object) is marked too.
   */
  testConnection?: ("read" | "write")[];
}

/** Options for {@link nimbleRequests}. */
export interface NimbleRequestOptions extends NimbleScope {
  /** Makes aws:CurrentTime / aws:EpochTime known; by default they are unknown. */
  now?: Date;
}

/**
 * Keys whose value Nimble's request carries but that cannot be known from here. Why, per key:
 * aws:SourceIp (Nimble's egress addresses are not published), aws:PrincipalOrgID/OrgPaths
 * (Nimble's AWS Organization is not published), aws:PrincipalTag/* (tags on Nimble's user are
 * not published), aws:UserAgent (SDK version), aws:Referer (not sent by SDKs, but not documented),
 * aws:userid (the user's unique id AIDA... is not published), aws:RequestedRegion (the region the
 * SDK signs for is the bucket's, which an offline audit does not know), aws:ResourceAccount and
 * aws:ResourceOrgID/OrgPaths (the bucket owner's account, not given offline), s3:TlsVersion,
 * s3:signatureAge, s3:x-amz-content-sha256 and s3:ExistingObjectTag/* (per request or object).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export const UNKNOWN_KEYS: readonly string[] = [
  "aws:SourceIp",
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:PrincipalTag/*",
  "aws:UserAgent",
  "aws:Referer",
  "aws:userid",
  "aws:RequestedRegion",
  "aws:ResourceAccount",
  "aws:ResourceOrgID",
  "aws:ResourceOrgPaths",
  "aws:ResourceTag/*",
  "s3:TlsVersion",
  "s3:signatureAge",
  "s3:x-amz-content-sha256",
  "s3:ExistingObjectTag/*",
];

/**
 * Headers Nimble's real uploads may send: Nimble's docs do not say which encryption, ACL,
 * storage-class, tagging or object-lock headers its uploads carry, so for those PutObject
 * requests they are unknown. The Test Connection PutObject is known to send none of them.
 * @see ../shared/nimble/facts.md (section 6)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
 */
export const UPLOAD_HEADER_KEYS: readonly string[] = [
  "s3:x-amz-server-side-encryption",
  "s3:x-amz-server-side-encryption-aws-kms-key-id",
  "s3:x-amz-server-side-encryption-customer-algorithm",
  "s3:x-amz-acl",
  "s3:x-amz-grant-*",
  "s3:x-amz-storage-class",
  "s3:RequestObjectTag/*",
  "s3:RequestObjectTagKeys",
  "aws:RequestTag/*",
  "aws:TagKeys",
  "s3:object-lock-*",
  "s3:x-amz-copy-source",
  "s3:x-amz-metadata-directive",
];

/** The known context of every request Nimble's user signs with its access key. */
function principalContext(principal: string, now?: Date): Record<string, string> {
  const account = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1] ?? "";
  const user = /:user\/(?:.*\/)?([^/]+)$/.exec(principal)?.[1];
  const role = /:role\//.test(principal) || /:assumed-role\//.test(principal);
  return {
    "aws:PrincipalArn": principal,
    "aws:PrincipalAccount": account,
    "aws:PrincipalType": user ? "User" : role ? "AssumedRole" : "Account",
    ...(user ? { "aws:username": user } : {}),
    "aws:SecureTransport": "true",
    "aws:PrincipalIsAWSService": "false",
    "aws:ViaAWSService": "false",
    ...(now ? { "aws:CurrentTime": now.toISOString() } : {}),
    ...(now ? { "aws:EpochTime": String(Math.floor(now.getTime() / 1000)) } : {}),
  };
}

function unknownFor(now: Date | undefined, extra: readonly string[] = []): string[] {
  const time = now ? [] : ["aws:CurrentTime", "aws:EpochTime"];
  return [...UNKNOWN_KEYS, ...time, ...extra];
}

interface Spec {
  operation: string;
  action: string;
  /** key under the bucket, or undefined for the bucket itself */
  key?: string;
  context?: Record<string, string>;
  unknown?: readonly string[];
  testConnection?: ("read" | "write")[];
}

/**
 * The S3 requests Nimble makes for a use, as the bucket policy sees them.
 * Object requests use one concrete representative key under the prefix (`input/example`,
 * `output/example`, `PREFIX example.json`), since a policy is evaluated per concrete ARN.
 * Jobs: the permission table's operations plus Test Connection (HeadBucket, a one-key listing of
 * the input prefix without a delimiter, HeadObject of a listed input object, and the PutObject of
 * `.nimble-connection-test` with no encryption or ACL header). Delivery: GetBucketLocation,
 * PutObject and PutObjectAcl under the prefix.
 * @param options - use, bucket, prefixes (already normalized), principal override
 * @returns the requests, each labelled with its operation
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 */
export function nimbleRequests(options: NimbleRequestOptions): NimbleRequest[] {
  const scope = resolveScope(options);
  const principal = scope.principal;
  const specs = scope.use === "jobs" ? jobsSpecs(scope) : deliverySpecs(scope.prefix);
  const base = principalContext(principal, options.now);
  return specs.map((spec) => ({
    operation: spec.operation,
    principal,
    action: spec.action,
    resource: `arn:aws:s3:::${options.bucket}${spec.key === undefined ? "" : `/${spec.key}`}`,
    context: { ...base, ...spec.context },
    unknownKeys: unknownFor(options.now, spec.unknown),
    ...(spec.testConnection ? { testConnection: spec.testConnection } : {}),
  }));
}

/**
 * Jobs. How Nimble's Jobs list the input set (prefix, delimiter, page size) is not documented:
 * the `ListBucket(bucket)` request carries s3:prefix = the input prefix and leaves s3:delimiter
 * and s3:max-keys unknown. The probe's list is known: prefix, max-keys 1, no delimiter.
 */
function jobsSpecs(scope: ResolvedScope): Spec[] {
  const input = scope.inputPrefix;
  const output = scope.outputPrefix;
  const listUnknown = ["s3:delimiter", "s3:max-keys"];
  return [
    {
      operation: "ListBucket(bucket)",
      action: "s3:ListBucket",
      context: { "s3:prefix": input },
      unknown: listUnknown,
    },
    { operation: `GetObject(${input}*)`, action: "s3:GetObject", key: `${input}example` },
    { operation: `GetObject(${output}*)`, action: "s3:GetObject", key: `${output}example` },
    {
      operation: `PutObject(${output}*)`,
      action: "s3:PutObject",
      key: `${output}example`,
      unknown: UPLOAD_HEADER_KEYS,
    },
    {
      operation: `AbortMultipartUpload(${output}*)`,
      action: "s3:AbortMultipartUpload",
      key: `${output}example`,
    },
    {
      operation: `ListMultipartUploadParts(${output}*)`,
      action: "s3:ListMultipartUploadParts",
      key: `${output}example`,
    },
    { operation: "HeadBucket", action: "s3:ListBucket", testConnection: ["read", "write"] },
    {
      operation: `ListObjectsV2(${input})`,
      action: "s3:ListBucket",
      context: { "s3:prefix": input, "s3:max-keys": "1" },
      testConnection: ["read"],
    },
    /**
     * Test Connection's read HEADs the key it listed (HeadObject is authorized as s3:GetObject).
     * The step runs only when the prefix holds an object, so the read chip's prediction assumes
     * it does: with an empty prefix the real chip is "OK - prefix is empty" whatever this says.
     * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
     */
    {
      operation: `HeadObject(${input}...)`,
      action: "s3:GetObject",
      key: `${input}example`,
      testConnection: ["read"],
    },
    {
      operation: `PutObject(${output}${TEST_OBJECT_NAME})`,
      action: "s3:PutObject",
      key: `${output}${TEST_OBJECT_NAME}`,
      testConnection: ["write"],
    },
  ];
}

/**
 * Async API delivery: the three documented actions; objects are `<prefix><task id>.json`.
 * Delivery has no documented Test Connection; nimble-bucket's delivery probe is GetBucketLocation
 * then the PutObject of `<prefix>.nimble-connection-test` with no encryption or ACL header, so
 * those two are marked as its write steps (Nimble's real uploads keep their headers unknown).
 */
function deliverySpecs(prefix: string): Spec[] {
  const key = `${prefix}example.json`;
  return [
    {
      operation: "GetBucketLocation(bucket)",
      action: "s3:GetBucketLocation",
      testConnection: ["write"],
    },
    {
      operation: `PutObject(${prefix}*)`,
      action: "s3:PutObject",
      key,
      unknown: UPLOAD_HEADER_KEYS,
    },
    {
      operation: `PutObjectAcl(${prefix}*)`,
      action: "s3:PutObjectAcl",
      key,
      unknown: UPLOAD_HEADER_KEYS,
    },
    {
      operation: `PutObject(${prefix}${TEST_OBJECT_NAME})`,
      action: "s3:PutObject",
      key: `${prefix}${TEST_OBJECT_NAME}`,
      testConnection: ["write"],
    },
  ];
}

/** Options for {@link nimbleKmsRequests}. */
export interface NimbleKmsRequestOptions extends Omit<NimbleScope, "bucket"> {
  /** arn:aws:kms:REGION:ACCOUNT:key/ID */
  keyArn: string;
  /** Makes aws:CurrentTime / aws:EpochTime known. */
  now?: Date;
}

/**
 * The KMS requests S3 makes with Nimble's credentials for an SSE-KMS bucket, as the key policy
 * sees them: GetObject needs kms:Decrypt, PutObject kms:GenerateDataKey, and a multipart upload
 * (UploadPart / completing it) kms:Decrypt. Context: kms:CallerAccount = the principal's account,
 * kms:ViaService = s3.REGION.amazonaws.com (region from the key ARN), aws:ViaAWSService true,
 * the encryption context is unknown (bucket keys change it), and so is aws:CalledVia: IAM's
 * documentation names the services that set it, and S3's calls to KMS are not shown among them.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-calledvia
 * @param options - use, key ARN, principal override
 * @returns the requests, labelled with the S3 operation each serves
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
 */
export function nimbleKmsRequests(options: NimbleKmsRequestOptions): NimbleRequest[] {
  const scope = resolveScope(options);
  const principal = scope.principal;
  const region = options.keyArn.split(":")[3] ?? "";
  const base = principalContext(principal, options.now);
  const context = {
    ...base,
    "aws:ViaAWSService": "true",
    "kms:CallerAccount": base["aws:PrincipalAccount"] ?? "",
    "kms:ViaService": `s3.${region}.amazonaws.com`,
  };
  const unknownKeys = unknownFor(options.now, [
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "kms:EncryptionContext:*",
    "kms:EncryptionContextKeys",
  ]);
  return kmsSpecs(scope).map(([operation, action, testConnection]) => ({
    operation,
    principal,
    action,
    resource: options.keyArn,
    context,
    unknownKeys,
    ...(testConnection ? { testConnection } : {}),
  }));
}

type KmsSpec = [string, string, ("read" | "write")[]?];

function kmsSpecs(scope: ResolvedScope): KmsSpec[] {
  if (scope.use === "delivery") {
    const prefix = scope.prefix;
    return [
      [`PutObject(${prefix}*)`, "kms:GenerateDataKey"],
      [`UploadPart(${prefix}*)`, "kms:Decrypt"],
      [`PutObject(${prefix}${TEST_OBJECT_NAME})`, "kms:GenerateDataKey", ["write"]],
    ];
  }
  const input = scope.inputPrefix;
  const output = scope.outputPrefix;
  return [
    [`GetObject(${input}*)`, "kms:Decrypt"],
    [`GetObject(${output}*)`, "kms:Decrypt"],
    [`PutObject(${output}*)`, "kms:GenerateDataKey"],
    [`UploadPart(${output}*)`, "kms:Decrypt"],
    [`PutObject(${output}${TEST_OBJECT_NAME})`, "kms:GenerateDataKey", ["write"]],
  ];
}
