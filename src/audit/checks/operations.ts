import { bucketTemplateSid, kmsMergeCommand, kmsSid, s3MergeCommand } from "./fix-commands.js";
import { isAwsManagedKey } from "./kms.js";
import type { StatementRef } from "../../policy/eval/types.js";
import { isDenied } from "./statements.js";
import type { Check, CheckContext, EvaluatedOperation, RawFinding } from "./types.js";

/**
 * Checks on the evaluator's decisions for each request Nimble makes.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** S3-OPERATION-DENIED: a request Nimble needs is refused by the bucket or the key policy. */
export const operationDenied: Check = {
  name: "operationDenied",
  run: (context) => {
    const refused: Refusal[] = [
      ...context.operations.map((op) => ({ op, policyKind: "bucket" as const })),
      ...context.operations.flatMap((s3Op) =>
        s3Op.kms && !isAwsManagedKey(context)
          ? [{ op: s3Op.kms, policyKind: "key" as const, s3Op }]
          : [],
      ),
    ].filter(({ op }) => isDenied(op.evaluation.decision));

    return [
      ...explicitByStatement(refused).map((group) => explicitFinding(context, group)),
      ...refused
        .filter(({ op }) => denyOf(op) === undefined)
        .map((refusal) => implicitFinding(context, refusal)),
    ];
  },
};

interface Refusal {
  op: EvaluatedOperation;
  policyKind: "bucket" | "key";
  /** For a key-policy refusal: the S3 operation that needs the KMS action */
  s3Op?: EvaluatedOperation;
}

function denyOf(op: EvaluatedOperation): StatementRef | undefined {
  if (op.evaluation.decision !== "explicitly-denied") return undefined;
  return op.evaluation.statements.find((s) => s.effect === "Deny");
}

/** Explicit denials grouped by the Deny that decides them: one Deny, one fix, one finding. */
function explicitByStatement(refused: Refusal[]): Refusal[][] {
  const groups = new Map<string, Refusal[]>();
  for (const refusal of refused) {
    const deny = denyOf(refusal.op);
    if (!deny) continue;
    const key = `${refusal.policyKind} ${deny.path}`;
    groups.set(key, [...(groups.get(key) ?? []), refusal]);
  }
  return [...groups.values()];
}

function label(refusal: Refusal): string {
  return refusal.s3Op
    ? `${refusal.s3Op.operation} (${refusal.op.request.action})`
    : refusal.op.operation;
}

function explicitFinding(context: CheckContext, group: Refusal[]): RawFinding {
  const first = group[0]!;
  const deny = denyOf(first.op)!;
  const name = deny.sid ? `${deny.path} (Sid ${deny.sid})` : deny.path;
  const verb = group.length === 1 ? "is" : "are";
  const policy = first.policyKind === "key" ? "key policy" : "bucket policy";
  return {
    id: "S3-OPERATION-DENIED",
    message: `${group.map(label).join(", ")} ${verb} explicitly denied by ${name}`,
    location: firstStatementLocation(context, first.op, first.policyKind === "key"),
    fix:
      `Narrow the Deny ${name} of the ${policy}, or exempt Nimble's principal from it ` +
      "(an aws:PrincipalArn condition); adding an Allow does not help, a Deny always wins.",
  };
}

function implicitFinding(context: CheckContext, refusal: Refusal): RawFinding {
  const { op, s3Op, policyKind } = refusal;
  const what = s3Op
    ? `${s3Op.operation} needs ${op.request.action} on the bucket's KMS key, and it is`
    : `${op.operation} (${op.request.action} on ${op.request.resource}) is`;
  const fix =
    policyKind === "key"
      ? `add it to Nimble's key-policy statement (Sid ${kmsSid(context.use)}): ` +
        kmsMergeCommand(context)
      : `add Nimble's template statement (Sid ${bucketTemplateSid(context, op.request.action, op.request.resource)}): ` +
        s3MergeCommand(context);
  return {
    id: "S3-OPERATION-DENIED",
    message: `${what} not allowed: no statement grants it to ${context.principal}; ${fix}`,
    location: firstStatementLocation(context, op, policyKind === "key"),
    fix:
      policyKind === "key"
        ? "Run the nimble-bucket policy kms ... --merge command above and apply the key policy."
        : "Run the nimble-bucket policy s3 ... --merge command above and apply the bucket policy.",
  };
}

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
