import { inputError } from "../errors.js";
import { evaluatePolicy } from "./eval/evaluate.js";
import { nimbleRequests } from "./eval/nimble-requests.js";
import type { EvalRequest, Evaluation } from "./eval/types.js";
import { FORBIDDEN_AWS_ACTIONS } from "./guard.js";
import type { PolicyDocument } from "./types.js";

/**
 * The never-delete gate for merged policies. `assertNoDeleteRights` checks what a generator
 * emits; a merge also carries the customer's statements, and one of them may hand Nimble's
 * principal a delete (`s3:*`, `s3:DeleteObject`, `kms:ScheduleKeyDeletion`). The merged document
 * is what the customer applies, so it is evaluated as AWS would: Nimble's principal asking for
 * each forbidden action on the bucket and on an object under each prefix (or, for a key policy,
 * on the key). An Allow that applies, or may apply, refuses the merge.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** Where a merged policy applies and whose rights to check. */
export type DeleteCheckScope =
  | {
      kind: "s3-bucket-policy";
      /** Nimble's principal ARN (the default or the `--principal` override) */
      principal: string;
      bucket: string;
      /** Normalized prefixes ("" or "x/") under which Nimble works */
      prefixes: readonly string[];
    }
  | {
      kind: "kms-key-policy";
      principal: string;
      /** The key's ARN when known; `*` (how key policies name their key) is always checked */
      keyArn?: string;
    };

/** Key of the representative object under each prefix. */
const PROBE_KEY = "nimble-delete-check";

/**
 * Throws when the merged policy allows (or may allow) Nimble's principal a forbidden action.
 * @param policy - the merged policy
 * @param scope - bucket and prefixes, or key, and Nimble's principal
 * @param field - the flag the existing policy came from, named in the error
 * @throws NimbleError E_INPUT naming the statement (index and Sid) and the action
 */
export function assertMergedNoDeleteRights(
  policy: PolicyDocument,
  scope: DeleteCheckScope,
  field = "--merge",
): void {
  for (const request of forbiddenRequests(scope)) {
    const evaluation = evaluatePolicy(policy, request);
    if (!mayAllow(evaluation)) continue;
    throw inputError(field, grantMessage(request, evaluation));
  }
}

/**
 * The requests checked: every forbidden action of the policy's service on every resource.
 * @param scope - where the policy applies
 * @returns one request per action and resource, in FORBIDDEN_AWS_ACTIONS order
 */
export function forbiddenRequests(scope: DeleteCheckScope): EvalRequest[] {
  const service = scope.kind === "s3-bucket-policy" ? "s3:" : "kms:";
  const actions = FORBIDDEN_AWS_ACTIONS.filter((action) => action.startsWith(service));
  const resources = resourcesOf(scope);
  const base = signedRequestBase(scope.principal);

  return actions.flatMap((action) =>
    resources.map((resource) => ({ ...base, principal: scope.principal, action, resource })),
  );
}

function resourcesOf(scope: DeleteCheckScope): string[] {
  if (scope.kind === "kms-key-policy") return ["*", ...(scope.keyArn ? [scope.keyArn] : [])];

  const bucketArn = `arn:aws:s3:::${scope.bucket}`;
  const prefixes = [...new Set(scope.prefixes)];
  return [bucketArn, ...prefixes.map((prefix) => `${bucketArn}/${prefix}${PROBE_KEY}`)];
}

/**
 * The known context and unknown keys of a request Nimble's user signs, as the evaluator's
 * request model builds them: its first delivery request (GetBucketLocation) carries no
 * operation-specific key, only the principal's.
 */
function signedRequestBase(principal: string): Pick<EvalRequest, "context" | "unknownKeys"> {
  const [request] = nimbleRequests({ use: "delivery", bucket: "nimble-check", principal });
  return { context: request?.context, unknownKeys: request?.unknownKeys };
}

/** Allowed, or undecided with "allowed" among the outcomes (a Deny alone never grants). */
function mayAllow(evaluation: Evaluation): boolean {
  if (evaluation.decision === "allowed") return true;
  return evaluation.decision === "depends" && !!evaluation.possibleDecisions?.includes("allowed");
}

function grantMessage(request: EvalRequest, evaluation: Evaluation): string {
  const where = evaluation.statements
    .filter((s) => s.effect === "Allow")
    .map((s) =>
      s.sid === undefined ? `Statement[${s.index}]` : `Statement[${s.index}] (Sid ${s.sid})`,
    )
    .join(", ");
  const how =
    evaluation.decision === "allowed"
      ? "allows"
      : `may allow (depending on ${evaluation.dependsOn.join(", ")})`;

  return (
    `${where} ${how} Nimble's principal ${request.action} on ${request.resource}; ` +
    "nimble-bucket never grants a delete: remove that grant and merge again"
  );
}
