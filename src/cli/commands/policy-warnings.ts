import { evaluatePolicy } from "../../policy/eval/evaluate.js";
import type { NimbleRequest } from "../../policy/eval/nimble-requests.js";
import { nimbleKmsRequests, nimbleRequests } from "../../policy/eval/nimble-requests.js";
import type { Evaluation } from "../../policy/eval/types.js";
import { isKmsKeyArn } from "../../policy/generate/kms.js";
import { normalizePrefix } from "../../policy/names.js";
import type { PolicyDocument } from "../../policy/types.js";
import type { KmsArgs, S3Args } from "./policy.js";

/**
 * After a merge, the customer's own statements may still block Nimble: an explicit Deny wins
 * over any Allow. Each of Nimble's requests is evaluated against the merged policy and every
 * Deny that refuses it (or may refuse it, depending on a value we cannot know) becomes a warning.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/**
 * Warnings for a merged bucket policy.
 * @param policy - the merged policy
 * @param args - the `policy s3` options (use, bucket, prefixes, principal)
 * @returns one line per blocked request, empty when nothing blocks Nimble
 */
export function blockingDenyWarnings(policy: PolicyDocument, args: S3Args): string[] {
  const requests = nimbleRequests({
    use: args.use,
    bucket: args.bucket,
    inputPrefix: optionalPrefix(args.inputPrefix, "--input-prefix"),
    outputPrefix: optionalPrefix(args.outputPrefix, "--output-prefix"),
    prefix: optionalPrefix(args.prefix, "--prefix"),
    principal: args.principal,
  });

  return warningsFor(policy, requests);
}

/**
 * Warnings for a merged key policy; needs the key ARN (kms:ViaService names its region).
 * @param policy - the merged key policy
 * @param args - the `policy kms` options
 * @returns one line per blocked request, or a note that --key ARN is needed to check
 */
export function blockingKeyDenyWarnings(policy: PolicyDocument, args: KmsArgs): string[] {
  if (args.key === undefined || !isKmsKeyArn(args.key)) return [keyArnNote(args.key)];
  const requests = nimbleKmsRequests({
    use: args.use,
    keyArn: args.key,
    principal: args.principal,
  });

  return warningsFor(policy, requests);
}

/** The Deny check reads kms:ViaService, whose region only a key ARN gives. */
function keyArnNote(key: string | undefined): string {
  const given = key === undefined ? "no --key was given" : `--key ${key} is not one`;
  return (
    "note: the merged key policy was not checked for Deny statements that block Nimble: that " +
    `needs a full key ARN (--key arn:aws:kms:REGION:ACCOUNT:key/ID), and ${given}.`
  );
}

function warningsFor(policy: PolicyDocument, requests: readonly NimbleRequest[]): string[] {
  return requests.flatMap((request) => {
    const evaluation = evaluatePolicy(policy, request);
    const denies = evaluation.statements.filter((s) => s.effect === "Deny");
    if (denies.length === 0) return [];
    if (evaluation.decision === "explicitly-denied") return [denied(request, evaluation)];
    if (evaluation.decision === "depends") return [mayDeny(request, evaluation)];
    return [];
  });
}

function denied(request: NimbleRequest, evaluation: Evaluation): string {
  return `warning: ${request.operation} (${request.action}) is explicitly denied by ${where(evaluation)}: Nimble will be refused even with its own statements.`;
}

function mayDeny(request: NimbleRequest, evaluation: Evaluation): string {
  const keys = evaluation.dependsOn.join(", ");
  return `warning: ${request.operation} (${request.action}) may be denied by ${where(evaluation)}, depending on ${keys}, which Nimble's request carries but cannot be known here.`;
}

function where(evaluation: Evaluation): string {
  return evaluation.statements
    .filter((s) => s.effect === "Deny")
    .map((s) => (s.sid === undefined ? s.path : `${s.path} (Sid ${s.sid})`))
    .join(", ");
}

function optionalPrefix(raw: string | undefined, field: string): string | undefined {
  return raw === undefined ? undefined : normalizePrefix(raw, field);
}
