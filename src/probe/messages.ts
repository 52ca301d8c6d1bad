import { defaultPrincipal } from "../nimble.js";
import type { OperationContext, S3ErrorShape } from "./classify.js";

/**
 * The one-line cause and fix the probe shows for each kind of S3 failure, kept as data: one entry
 * per kind, each a small template of the error's shape and the operation's context.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */

/** The kinds of S3 failure the probe tells apart; `unknown` when no rule recognised the error. */
export type FailureKind =
  | "not-s3"
  | "redirect-to-region"
  | "redirect-unnamed"
  | "credentials-rejected"
  | "bucket-missing"
  | "kms-denied"
  | "access-denied"
  | "acl-not-supported"
  | "checksum-required"
  | "kms-failed"
  | "timeout"
  | "unreachable"
  | "throttled"
  | "server-error"
  | "unknown";

/** Builds one detail line from the error's shape and what the probe was doing. */
export type DetailTemplate = (shape: S3ErrorShape, context: OperationContext) => string;

const RETRY = "retry later, and contact support if it persists";

/**
 * The detail line of each failure kind.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html (301 names the region)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
 */
export const DETAILS: Readonly<Record<FailureKind, DetailTemplate>> = {
  "not-s3": (s, c) =>
    `${c.operation}: the endpoint did not answer like S3: ${s.message} ` +
    `(HTTP ${s.httpStatus ?? "?"}); check the endpoint (--endpoint, AWS_ENDPOINT_URL) and any ` +
    "proxy or captive portal between here and S3",
  "redirect-to-region": (s, c) =>
    `${c.operation} was redirected (HTTP ${s.httpStatus ?? 301}): bucket ${c.bucket} exists, ` +
    `in region ${s.region ?? "?"}; probe with --region ${s.region ?? "?"}`,
  "redirect-unnamed": (_s, c) =>
    `${c.operation} was redirected (HTTP 301): bucket ${c.bucket} exists in another region, ` +
    "which S3 did not name; probe with --region set to the bucket's region",
  "credentials-rejected": (s, c) =>
    `${c.operation}: the credentials were rejected (${s.code}: ${s.message}); ` +
    "check the AWS profile or environment the probe runs with",
  "bucket-missing": (_s, c) =>
    `${c.operation} returned 404: bucket ${c.bucket} does not exist; ` +
    "check the bucket name in the path",
  "kms-denied": (s, c) =>
    `${c.operation} was denied by the bucket's KMS key (${s.message}); ` +
    `the key policy must allow ${kmsAction(c)} to Nimble's user (${defaultPrincipal(c.use)}); ` +
    "objects under the AWS-managed aws/s3 key cannot be shared across accounts",
  "access-denied": (_s, c) => accessDenied(c),
  "acl-not-supported": (_s, c) =>
    `${c.operation} was refused with 400 AccessControlListNotSupported: ` +
    "the bucket has ACLs disabled (Object Ownership: bucket owner enforced) and the upload " +
    "carried an ACL; uploads must send no ACL (or bucket-owner-full-control)",
  "checksum-required": (s, c) =>
    `${c.operation} was refused: the bucket's Object Lock needs a Content-MD5 or ` +
    `x-amz-checksum header (${s.message}); contact support`,
  "kms-failed": (s, c) =>
    `${c.operation} failed on the bucket's KMS key (${s.code}: ${s.message}); ` +
    "check that the key exists, is enabled and its policy allows Nimble's user " +
    `(${defaultPrincipal(c.use)})`,
  timeout: (s, c) =>
    `${c.operation} timed out${attempts(s)} (${s.message}); ` +
    "check the network path to S3 and retry, or raise --timeout",
  unreachable: (s, c) =>
    `${c.operation} could not reach the S3 endpoint (${s.code}: ${s.message}); ` +
    "check the endpoint, proxy and network, then retry",
  throttled: (s, c) =>
    `${c.operation} was throttled (HTTP ${s.httpStatus ?? "?"} ${s.code})${attempts(s)}; ${RETRY}`,
  "server-error": (s, c) =>
    `${c.operation} failed with a server error (HTTP ${s.httpStatus ?? "?"} ${s.code})` +
    `${attempts(s)}; ${RETRY}`,
  unknown: (s, c) =>
    `${c.operation} failed with HTTP ${s.httpStatus ?? "(no response)"} ${s.code}: ` +
    `${s.message}; retry, and contact support if it persists`,
};

/**
 * The right each operation needs, and on which resource.
 * @param context - the operation, bucket and key
 * @returns the IAM action and the ARN it must be allowed on
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 */
export function requiredPermission(context: OperationContext): {
  action: string;
  resource: string;
} {
  const bucketArn = `arn:aws:s3:::${context.bucket}`;
  switch (context.operation) {
    case "HeadBucket":
    case "ListObjectsV2":
      return { action: "s3:ListBucket", resource: bucketArn };
    case "GetBucketLocation":
      return { action: "s3:GetBucketLocation", resource: bucketArn };
    case "HeadObject":
      return { action: "s3:GetObject", resource: `${bucketArn}/${context.key}` };
    case "PutObject":
      return { action: "s3:PutObject", resource: `${bucketArn}/${context.key}` };
  }
}

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html (s3:ListBucket) */
function accessDenied(context: OperationContext): string {
  const { action, resource } = requiredPermission(context);
  const unconditioned =
    context.operation === "HeadBucket" ? ", with no s3:prefix or s3:delimiter condition" : "";
  const command = `nimble-bucket policy s3 --for ${context.use}`;

  return (
    `${context.operation} was denied (403): the bucket policy must allow ${action} on ` +
    `${resource} to ${defaultPrincipal(context.use)}${unconditioned}, and no Deny may match; ` +
    `re-apply the template (${command}). A 403 can also come from IAM policies or SCPs in ` +
    "Nimble's own account, which you cannot see"
  );
}

/** @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html */
function kmsAction(context: OperationContext): string {
  return context.operation === "PutObject" ? "kms:GenerateDataKey" : "kms:Decrypt";
}

function attempts(shape: S3ErrorShape): string {
  return shape.attempts && shape.attempts > 1 ? ` after ${shape.attempts} attempts` : "";
}
