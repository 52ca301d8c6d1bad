import {
  defaultPrincipal,
  DEFAULT_INPUT_PREFIX,
  DEFAULT_OUTPUT_PREFIX,
  SIDS,
} from "../../nimble.js";
import type { Use } from "../../nimble.js";
import { KMS_JOBS_SID } from "../../policy/generate/kms.js";
import { DELIVERY_LOCATION_SID } from "../../policy/generate/s3.js";
import type { CheckContext, SourcedPolicy } from "./types.js";

/**
 * The exact `nimble-bucket policy ... --merge` command that puts Nimble's statements back, and
 * the Sids the generators give them, so a finding's advice matches what the generator emits.
 */

/**
 * The Sid of Nimble's key-policy statement for a use, as `nimble-bucket policy kms` emits it.
 * @param use - jobs or delivery
 * @returns NimbleJobsKMSAccess for Jobs, NimbleKMSAccess for delivery
 */
export function kmsSid(use: Use): string {
  return use === "jobs" ? KMS_JOBS_SID : SIDS.kms;
}

/**
 * The Sid of the statement of Nimble's default bucket-policy template that grants an action.
 * @param context - the check context (use, prefixes)
 * @param action - e.g. s3:GetObject
 * @param resource - the ARN the request is for
 * @returns the Sid `nimble-bucket policy s3` gives that statement
 */
export function bucketTemplateSid(context: CheckContext, action: string, resource: string): string {
  const lower = action.toLowerCase();
  if (context.use === "delivery")
    return lower === "s3:getbucketlocation" ? DELIVERY_LOCATION_SID : SIDS.delivery;
  if (lower === "s3:listbucket") return SIDS.listBucket;

  const inInput =
    lower === "s3:getobject" &&
    context.inputPrefix !== context.outputPrefix &&
    resource.startsWith(`${context.bucketArn}/${context.inputPrefix}`);
  return inInput ? SIDS.readInput : SIDS.readWriteOutput;
}

/**
 * `nimble-bucket policy s3 ... --merge FILE`, with the audit's bucket, use, prefixes and
 * principal; a live policy is piped in from `aws s3api get-bucket-policy`.
 * @param context - the check context
 * @returns the command line
 */
export function s3MergeCommand(context: CheckContext): string {
  const flags = [
    `--for ${context.use}`,
    `--bucket ${context.bucket}`,
    ...prefixFlags(context),
    ...principalFlag(context),
  ];
  const merge = mergeSource(context.bucketPolicy);
  const command = `nimble-bucket policy s3 ${flags.join(" ")} --merge ${merge}`;
  return merge === "-"
    ? `aws s3api get-bucket-policy --bucket ${context.bucket} --query Policy --output text | ${command}`
    : command;
}

/**
 * `nimble-bucket policy kms --for USE --merge FILE`; a live key policy is piped in from
 * `aws kms get-key-policy`.
 * @param context - the check context
 * @returns the command line
 */
export function kmsMergeCommand(context: CheckContext): string {
  const flags = [`--for ${context.use}`, ...principalFlag(context)];
  const merge = mergeSource(context.keyPolicy);
  const command = `nimble-bucket policy kms ${flags.join(" ")} --merge ${merge}`;
  if (merge !== "-") return command;

  const key = context.keyMetadata?.Arn ?? context.encryption?.KMSMasterKeyID ?? "KEY";
  return `aws kms get-key-policy --key-id ${key} --policy-name default --query Policy --output text | ${command}`;
}

/** The file the policy was read from, or "-" (stdin) for a policy read live or from stdin. */
function mergeSource(policy: SourcedPolicy | undefined): string {
  const source = policy?.source ?? "stdin";
  return source === "stdin" || /\s/.test(source) ? "-" : source;
}

function prefixFlags(context: CheckContext): string[] {
  if (context.use === "delivery")
    return context.outputPrefix === "" ? [] : [`--prefix ${context.outputPrefix}`];

  return [
    ...(context.inputPrefix === DEFAULT_INPUT_PREFIX
      ? []
      : [`--input-prefix ${context.inputPrefix}`]),
    ...(context.outputPrefix === DEFAULT_OUTPUT_PREFIX
      ? []
      : [`--output-prefix ${context.outputPrefix}`]),
  ];
}

function principalFlag(context: CheckContext): string[] {
  return context.principal === defaultPrincipal(context.use)
    ? []
    : [`--principal ${context.principal}`];
}
