import type { Use } from "../nimble.js";
import { defaultPrincipal } from "../nimble.js";
import type { ProbeStatus } from "./types.js";

/**
 * Maps an S3 error to a Test Connection chip and a one-line cause and fix, by the error's shape
 * (`name`, `Code`, `$metadata.httpStatusCode`, `$fault`, response headers), never by class:
 * HEAD responses carry a status and headers but no error code.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 */

/** The S3 operations the probe sends. */
export type S3Operation =
  "HeadBucket" | "GetBucketLocation" | "ListObjectsV2" | "HeadObject" | "PutObject";

/** What the probe was doing when the error came back. */
export interface OperationContext {
  operation: S3Operation;
  bucket: string;
  /** The object key (HeadObject, PutObject) or the listed prefix (ListObjectsV2) */
  key: string;
  use: Use;
}

/** The parts of an SDK error (or a network error) that the mapping reads. */
export interface S3ErrorShape {
  /** Error code from the body (`Code`), or the SDK's `name` (HEAD: `NotFound`, `Forbidden`…) */
  code: string;
  /** HTTP status, absent when no response arrived */
  httpStatus?: number;
  /** Region named by `x-amz-bucket-region` or a PermanentRedirect/AuthorizationHeaderMalformed */
  region?: string;
  message: string;
  /** Attempts the SDK made (retries included) */
  attempts?: number;
}

/** The chip and detail for one failed operation; `region` set when the bucket lives elsewhere. */
export interface Classification {
  status: ProbeStatus;
  detail: string;
  httpStatus?: number;
  region?: string;
}

/** The right each operation needs, and on which resource. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html */
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

/**
 * Reads the shape of whatever the SDK threw.
 * @param error - an SDK ServiceException, a TimeoutError or a Node network error
 * @returns code, status, region, message and attempts
 */
export function errorShape(error: unknown): S3ErrorShape {
  const value = (typeof error === "object" && error !== null ? error : {}) as Record<
    string,
    unknown
  >;
  const metadata = asRecord(value.$metadata);
  const response = asRecord(value.$response);
  const headers = asRecord(response.headers);
  const httpStatus = numberOr(metadata.httpStatusCode) ?? numberOr(response.statusCode);
  const message = typeof value.message === "string" ? value.message : String(error);
  const code = stringOr(value.Code) ?? stringOr(value.code) ?? stringOr(value.name) ?? "Error";

  return {
    code,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...optionalRegion(regionOf(headers, value, message)),
    message: firstLine(message),
    ...(numberOr(metadata.attempts) === undefined ? {} : { attempts: numberOr(metadata.attempts) }),
  };
}

/**
 * Maps an error to a chip, following the table: only a 404 / NoSuchBucket is a missing
 * bucket, only a 403 that is not about the credentials themselves is "Access denied", and a 301
 * proves the bucket exists (in another region).
 * @param error - what the SDK threw
 * @param context - the operation, bucket and key
 * @returns status, one-line detail, HTTP status and, for a redirect, the bucket's region
 */
export function classifyS3Error(error: unknown, context: OperationContext): Classification {
  const shape = errorShape(error);
  const status = shape.httpStatus;
  const base = { ...(status === undefined ? {} : { httpStatus: status }) };
  const rule = RULES.find((candidate) => candidate.matches(shape, context));
  const fallback = `${context.operation} failed with HTTP ${status ?? "(no response)"} ${shape.code}: ${shape.message}; retry, and contact support if it persists`;

  if (!rule) return { ...base, status: "connection-failed", detail: fallback };
  return {
    ...base,
    ...optionalRegion(shape.region),
    status: rule.status,
    detail: rule.detail(shape, context),
  };
}

interface Rule {
  status: ProbeStatus;
  matches: (shape: S3ErrorShape, context: OperationContext) => boolean;
  detail: (shape: S3ErrorShape, context: OperationContext) => string;
}

const BUCKET_OPERATIONS: readonly S3Operation[] = ["HeadBucket", "GetBucketLocation"];
const CREDENTIAL_CODES = [
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "InvalidToken",
  "TokenRefreshRequired",
  "RequestTimeTooSkewed",
  "AccountProblem",
  "CredentialsProviderError",
];
const NETWORK_CODES = [
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
];
const TIMEOUT_CODES = ["TimeoutError", "RequestTimeout", "RequestTimeoutException", "AbortError"];
const THROTTLE_CODES = [
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "TooManyRequests",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ServiceUnavailable",
];

/** Ordered: the first rule that matches decides. */
const RULES: readonly Rule[] = [
  {
    status: "connection-failed",
    matches: (s) =>
      s.region !== undefined &&
      (s.httpStatus === 301 ||
        s.code === "PermanentRedirect" ||
        s.code === "AuthorizationHeaderMalformed"),
    detail: (s, c) =>
      `${c.operation} was redirected (HTTP ${s.httpStatus ?? 301}): bucket ${c.bucket} exists, in region ${s.region ?? "?"}; probe with --region ${s.region ?? "?"}`,
  },
  {
    status: "connection-failed",
    matches: (s) => s.httpStatus === 301 || s.code === "PermanentRedirect",
    detail: (s, c) =>
      `${c.operation} was redirected (HTTP 301): bucket ${c.bucket} exists in another region, which S3 did not name; probe with --region set to the bucket's region`,
  },
  {
    status: "connection-failed",
    matches: (s) => CREDENTIAL_CODES.includes(s.code),
    detail: (s, c) =>
      `${c.operation}: the credentials were rejected (${s.code}: ${s.message}); check the AWS profile or environment the probe runs with`,
  },
  {
    status: "bucket-not-found",
    matches: (s, c) =>
      s.code === "NoSuchBucket" ||
      (s.httpStatus === 404 && BUCKET_OPERATIONS.includes(c.operation)),
    detail: (_s, c) =>
      `${c.operation} returned 404: bucket ${c.bucket} does not exist; check the bucket name in the path`,
  },
  {
    status: "access-denied",
    matches: (s) => s.httpStatus === 403 && /kms/i.test(`${s.code} ${s.message}`),
    detail: (s, c) =>
      `${c.operation} was denied by the bucket's KMS key (${s.message}); the key policy must allow ${c.operation === "PutObject" ? "kms:GenerateDataKey" : "kms:Decrypt"} to Nimble's user (${defaultPrincipal(c.use)}); objects under the AWS-managed aws/s3 key cannot be shared across accounts`,
  },
  {
    status: "access-denied",
    matches: (s) => s.httpStatus === 403,
    detail: (_s, c) => accessDeniedDetail(c),
  },
  {
    status: "connection-failed",
    matches: (s) => s.code === "AccessControlListNotSupported",
    detail: (_s, c) =>
      `${c.operation} was refused with 400 AccessControlListNotSupported: the bucket has ACLs disabled (Object Ownership: bucket owner enforced) and the upload carried an ACL; uploads must send no ACL (or bucket-owner-full-control)`,
  },
  {
    status: "connection-failed",
    matches: (s) => s.code === "InvalidRequest" && /(content-md5|checksum)/i.test(s.message),
    detail: (s, c) =>
      `${c.operation} was refused: the bucket's Object Lock needs a Content-MD5 or x-amz-checksum header (${s.message}); contact support`,
  },
  {
    status: "connection-failed",
    matches: (s) => s.code.startsWith("KMS.") || s.code === "KMSKeyNotAccessible",
    detail: (s, c) =>
      `${c.operation} failed on the bucket's KMS key (${s.code}: ${s.message}); check that the key exists, is enabled and its policy allows Nimble's user (${defaultPrincipal(c.use)})`,
  },
  {
    status: "connection-failed",
    matches: (s) => TIMEOUT_CODES.includes(s.code) || s.httpStatus === 408,
    detail: (s, c) =>
      `${c.operation} timed out${attemptsText(s)} (${s.message}); check the network path to S3 and retry, or raise --timeout`,
  },
  {
    status: "connection-failed",
    matches: (s) => s.httpStatus === undefined && NETWORK_CODES.includes(s.code),
    detail: (s, c) =>
      `${c.operation} could not reach the S3 endpoint (${s.code}: ${s.message}); check the endpoint, proxy and network, then retry`,
  },
  {
    status: "connection-failed",
    matches: (s) => s.httpStatus === 429 || THROTTLE_CODES.includes(s.code),
    detail: (s, c) =>
      `${c.operation} was throttled (HTTP ${s.httpStatus ?? "?"} ${s.code})${attemptsText(s)}; retry later, and contact support if it persists`,
  },
  {
    status: "connection-failed",
    matches: (s) => s.httpStatus !== undefined && s.httpStatus >= 500,
    detail: (s, c) =>
      `${c.operation} failed with a server error (HTTP ${s.httpStatus ?? "?"} ${s.code})${attemptsText(s)}; retry later, and contact support if it persists`,
  },
];

function accessDeniedDetail(context: OperationContext): string {
  const { action, resource } = requiredPermission(context);
  const unconditioned =
    context.operation === "HeadBucket" ? ", with no s3:prefix or s3:delimiter condition" : "";
  const command = `nimble-bucket policy s3 --for ${context.use}`;

  return `${context.operation} was denied (403): the bucket policy must allow ${action} on ${resource} to ${defaultPrincipal(context.use)}${unconditioned}, and no Deny may match; re-apply the template (${command}). A 403 can also come from IAM policies or SCPs in Nimble's own account, which you cannot see`;
}

function attemptsText(shape: S3ErrorShape): string {
  return shape.attempts && shape.attempts > 1 ? ` after ${shape.attempts} attempts` : "";
}

function regionOf(
  headers: Record<string, unknown>,
  value: Record<string, unknown>,
  message: string,
): string | undefined {
  const header =
    stringOr(headers["x-amz-bucket-region"]) ??
    stringOr(value.Region) ??
    stringOr(value.BucketRegion);
  if (header) return header;

  const endpoint = stringOr(value.Endpoint) ?? "";
  const fromEndpoint = /s3[.-]([a-z]{2}(?:-[a-z]+)+-\d)\./.exec(endpoint)?.[1];
  const expecting = /expecting '([a-z]{2}(?:-[a-z]+)+-\d)'/.exec(message)?.[1];
  return fromEndpoint ?? expecting;
}

function optionalRegion(region: string | undefined): { region?: string } {
  return region === undefined ? {} : { region };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function numberOr(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}
