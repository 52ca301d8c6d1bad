import { SIDS } from "../../nimble.js";
import { isAwsManagedKey } from "./kms.js";
import type { Check, CheckContext, EvaluatedOperation, RawFinding } from "./types.js";

/**
 * Checks on the evaluator's decisions for each request Nimble makes.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** S3-OPERATION-DENIED: a request Nimble needs is refused by the bucket or the key policy. */
export const operationDenied: Check = {
  name: "operationDenied",
  run: (context) => [
    ...context.operations.flatMap((op) => deniedFinding(context, op, "bucket")),
    ...context.operations.flatMap((op) =>
      op.kms ? deniedFinding(context, op.kms, "key", op) : [],
    ),
  ],
};

/** S3-OPERATION-DEPENDS: the decision for a request depends on values not known offline. */
export const operationDepends: Check = {
  name: "operationDepends",
  run: (context) =>
    [...context.operations, ...context.kmsOperations]
      .filter((op) => op.evaluation.decision === "depends")
      .map((op) => ({
        id: "S3-OPERATION-DEPENDS",
        message:
          `${op.operation} (${op.request.action} on ${op.request.resource}) depends on ` +
          `${op.evaluation.dependsOn.join(", ") || "request values"}, which cannot be known here`,
        location: firstStatementLocation(context, op, op.request.action.startsWith("kms:")),
      })),
};

function deniedFinding(
  context: CheckContext,
  op: EvaluatedOperation,
  policyKind: "bucket" | "key",
  s3Op?: EvaluatedOperation,
): RawFinding[] {
  const { decision } = op.evaluation;
  if (decision !== "implicitly-denied" && decision !== "explicitly-denied") return [];

  if (s3Op && isAwsManagedKey(context)) return [];

  const what = s3Op
    ? `${s3Op.operation} needs ${op.request.action} on the bucket's KMS key, and it is`
    : `${op.operation} (${op.request.action} on ${op.request.resource}) is`;
  return [
    {
      id: "S3-OPERATION-DENIED",
      message: `${what} ${denialReason(context, op, policyKind)}`,
      location: firstStatementLocation(context, op, policyKind === "key"),
    },
  ];
}

function denialReason(
  context: CheckContext,
  op: EvaluatedOperation,
  policyKind: "bucket" | "key",
): string {
  const deny = op.evaluation.statements.find((s) => s.effect === "Deny");
  if (op.evaluation.decision === "explicitly-denied" && deny) {
    const name = deny.sid ? `${deny.path} (Sid ${deny.sid})` : deny.path;
    return `explicitly denied by ${name}`;
  }

  const fix =
    policyKind === "key"
      ? `add it to the key-policy statement for ${context.principal} (Sid ${SIDS.kms})`
      : `add a statement like Nimble's template (Sid ${templateSid(context, op)})`;
  return `not allowed: no statement grants it to ${context.principal}; ${fix}`;
}

function templateSid(context: CheckContext, op: EvaluatedOperation): string {
  if (context.use === "delivery") return SIDS.delivery;

  const action = op.request.action.toLowerCase();
  if (action === "s3:listbucket") return SIDS.listBucket;
  const inInput =
    action === "s3:getobject" &&
    context.inputPrefix !== context.outputPrefix &&
    op.request.resource.startsWith(`${context.bucketArn}/${context.inputPrefix}`);
  return inInput ? SIDS.readInput : SIDS.readWriteOutput;
}

function firstStatementLocation(
  context: CheckContext,
  op: EvaluatedOperation,
  isKey: boolean,
): RawFinding["location"] {
  const policy = isKey ? context.keyPolicy : context.bucketPolicy;
  if (!policy) return undefined;

  const ref = op.evaluation.statements[0];
  if (!ref) return { source: policy.source, path: "Statement" };
  return { source: policy.source, path: ref.path, statementIndex: ref.index, sid: ref.sid };
}
