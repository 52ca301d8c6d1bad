import { inputError } from "../../errors.js";
import type { NimbleScope, ResolvedScope, Use } from "../../nimble.js";
import { SIDS, resolveScope } from "../../nimble.js";
import { escapeIamLiteral } from "../escape.js";
import { assertNoDeleteRights } from "../guard.js";
import { checkAwsPrincipal, checkS3BucketName, normalizePrefix } from "../names.js";
import type { PolicyDocument, Statement } from "../types.js";
import { POLICY_VERSION } from "../types.js";

/**
 * Options of the S3 bucket-policy generator. Every value is checked here as well as in the CLI,
 * so library callers get the same one-line errors naming the flag.
 */
export interface S3PolicyOptions extends NimbleScope {
  /** Delivery only: Nimble's documented template to the letter (one statement, both ARNs) */
  documented?: boolean;
}

/** Sid of the narrower delivery policy's GetBucketLocation statement. */
export const DELIVERY_LOCATION_SID = "NimbleCloudDeliveryBucketLocation";

/**
 * Every Sid the S3 generator may emit for a use: a merge replaces all of them, so switching
 * between the documented and the narrower delivery policy leaves no stale statement behind.
 */
export function s3OwnedSids(use: Use): string[] {
  return use === "jobs"
    ? [SIDS.listBucket, SIDS.readInput, SIDS.readWriteOutput]
    : [SIDS.delivery, DELIVERY_LOCATION_SID];
}

/**
 * Nimble's bucket-policy statements for a use, checked by the never-delete guard.
 * Jobs: the three documented statements, with no condition on ListBucket (HeadBucket, the first
 * step of Test Connection, is authorized as an unconditioned s3:ListBucket).
 * Delivery: GetBucketLocation on the bucket, PutObject and PutObjectAcl on `BUCKET/PREFIX*`.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
 * @param options - use, bucket, prefixes, principal
 * @returns the statements, in a stable order
 * @throws NimbleError E_INPUT naming the flag for a bad bucket, prefix or principal
 */
export function s3PolicyStatements(options: S3PolicyOptions): Statement[] {
  const bucket = escapeIamLiteral(checkS3BucketName(options.bucket));
  const scope = resolveScope(options);
  const principal = { AWS: checkAwsPrincipal(scope.principal) };
  const documented = options.documented ?? false;
  const statements =
    scope.use === "jobs"
      ? jobsStatements(bucket, principal, scope, documented)
      : deliveryStatements(bucket, principal, scope, documented);

  return [...assertNoDeleteRights(statements)];
}

/**
 * A complete bucket policy holding Nimble's statements for a use.
 * @param options - as for {@link s3PolicyStatements}
 * @returns a policy document with Version 2012-10-17
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
 */
export function s3BucketPolicy(options: S3PolicyOptions): PolicyDocument {
  return { Version: POLICY_VERSION, Statement: s3PolicyStatements(options) };
}

type AwsPrincipal = { AWS: string };

function jobsStatements(
  bucket: string,
  Principal: AwsPrincipal,
  scope: ResolvedScope,
  documented: boolean,
): Statement[] {
  if (documented) throw inputError("--documented", "applies to --for delivery only");
  const input = prefixArn(bucket, scope.inputPrefix, "--input-prefix");
  const output = prefixArn(bucket, scope.outputPrefix, "--output-prefix");

  return [
    statement(SIDS.listBucket, Principal, "s3:ListBucket", `arn:aws:s3:::${bucket}`),
    statement(SIDS.readInput, Principal, "s3:GetObject", input),
    statement(
      SIDS.readWriteOutput,
      Principal,
      ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      output,
    ),
  ];
}

function deliveryStatements(
  bucket: string,
  Principal: AwsPrincipal,
  scope: ResolvedScope,
  documented: boolean,
): Statement[] {
  const bucketArn = `arn:aws:s3:::${bucket}`;
  if (documented) {
    if (scope.prefix) throw inputError("--prefix", "cannot be combined with --documented");
    const actions = ["s3:PutObject", "s3:PutObjectAcl", "s3:GetBucketLocation"];
    return [statement(SIDS.delivery, Principal, actions, [bucketArn, `${bucketArn}/*`])];
  }

  const objects = prefixArn(bucket, scope.prefix, "--prefix");
  return [
    statement(DELIVERY_LOCATION_SID, Principal, "s3:GetBucketLocation", bucketArn),
    statement(SIDS.delivery, Principal, ["s3:PutObject", "s3:PutObjectAcl"], objects),
  ];
}

/** `arn:aws:s3:::BUCKET/PREFIX*`: only the trailing `*` is a wildcard. */
function prefixArn(bucket: string, rawPrefix: string, field: string): string {
  const prefix = escapeIamLiteral(normalizePrefix(rawPrefix, field));
  return `arn:aws:s3:::${bucket}/${prefix}*`;
}

function statement(
  Sid: string,
  Principal: AwsPrincipal,
  Action: string | string[],
  Resource: string | string[],
): Statement {
  return { Sid, Effect: "Allow", Principal, Action, Resource };
}
