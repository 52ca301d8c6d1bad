import { firstLine, isRecord } from "../edge.js";
import type { Use } from "../nimble.js";
import { NOT_S3_ANSWER } from "./answer.js";
import type { FailureKind } from "./messages.js";
import { DETAILS } from "./messages.js";
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

/**
 * Reads the shape of whatever the SDK threw.
 * @param error - an SDK ServiceException, a TimeoutError or a Node network error
 * @returns code, status, region, message and attempts
 */
export function errorShape(error: unknown): S3ErrorShape {
  const value = asRecord(error);
  const metadata = asRecord(value.$metadata);
  const response = asRecord(value.$response);
  const headers = asRecord(response.headers);
  const httpStatus = numberOr(metadata.httpStatusCode) ?? numberOr(response.statusCode);
  const message = typeof value.message === "string" ? value.message : String(error);
  const code = stringOr(value.Code) ?? stringOr(value.code) ?? stringOr(value.name) ?? "Error";
  const attempts = numberOr(metadata.attempts);

  return {
    code,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...optionalRegion(regionOf(headers, value, message)),
    message: firstLine(message),
    ...(attempts === undefined ? {} : { attempts }),
  };
}

/**
 * Maps an error to a chip, following the table: only a 404 / NoSuchBucket is a missing
 * bucket, only a 403 that is not about the credentials themselves is "Access denied", and a 301
 * proves the bucket exists (in another region). Shape, then kind, then the kind's detail line.
 * @param error - what the SDK threw
 * @param context - the operation, bucket and key
 * @returns status, one-line detail, HTTP status and, for a redirect, the bucket's region
 */
export function classifyS3Error(error: unknown, context: OperationContext): Classification {
  const shape = errorShape(error);
  const rule = RULES.find((candidate) => candidate.matches(shape, context)) ?? UNKNOWN;

  return {
    ...(shape.httpStatus === undefined ? {} : { httpStatus: shape.httpStatus }),
    ...(rule === UNKNOWN ? {} : optionalRegion(shape.region)),
    status: rule.status,
    detail: DETAILS[rule.kind](shape, context),
  };
}

interface Rule {
  kind: FailureKind;
  status: ProbeStatus;
  matches: (shape: S3ErrorShape, context: OperationContext) => boolean;
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
  { kind: "not-s3", status: "connection-failed", matches: (s) => s.code === NOT_S3_ANSWER },
  {
    kind: "redirect-to-region",
    status: "connection-failed",
    matches: (s) =>
      s.region !== undefined &&
      (s.httpStatus === 301 ||
        s.code === "PermanentRedirect" ||
        s.code === "AuthorizationHeaderMalformed"),
  },
  {
    kind: "redirect-unnamed",
    status: "connection-failed",
    matches: (s) => s.httpStatus === 301 || s.code === "PermanentRedirect",
  },
  {
    kind: "credentials-rejected",
    status: "connection-failed",
    matches: (s) => CREDENTIAL_CODES.includes(s.code),
  },
  {
    kind: "bucket-missing",
    status: "bucket-not-found",
    matches: (s, c) =>
      s.code === "NoSuchBucket" ||
      (s.httpStatus === 404 && BUCKET_OPERATIONS.includes(c.operation)),
  },
  {
    kind: "kms-denied",
    status: "access-denied",
    matches: (s) => s.httpStatus === 403 && /kms/i.test(`${s.code} ${s.message}`),
  },
  { kind: "access-denied", status: "access-denied", matches: (s) => s.httpStatus === 403 },
  {
    kind: "acl-not-supported",
    status: "connection-failed",
    matches: (s) => s.code === "AccessControlListNotSupported",
  },
  {
    kind: "checksum-required",
    status: "connection-failed",
    matches: (s) => s.code === "InvalidRequest" && /(content-md5|checksum)/i.test(s.message),
  },
  {
    kind: "kms-failed",
    status: "connection-failed",
    matches: (s) => s.code.startsWith("KMS.") || s.code === "KMSKeyNotAccessible",
  },
  {
    kind: "timeout",
    status: "connection-failed",
    matches: (s) => TIMEOUT_CODES.includes(s.code) || s.httpStatus === 408,
  },
  {
    kind: "unreachable",
    status: "connection-failed",
    matches: (s) => s.httpStatus === undefined && NETWORK_CODES.includes(s.code),
  },
  {
    kind: "throttled",
    status: "connection-failed",
    matches: (s) => s.httpStatus === 429 || THROTTLE_CODES.includes(s.code),
  },
  {
    kind: "server-error",
    status: "connection-failed",
    matches: (s) => s.httpStatus !== undefined && s.httpStatus >= 500,
  },
];

/** No rule matched: a connection failure, with the raw status and code. */
const UNKNOWN: Rule = { kind: "unknown", status: "connection-failed", matches: () => true };

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
  return isRecord(value) ? value : {};
}

function numberOr(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
