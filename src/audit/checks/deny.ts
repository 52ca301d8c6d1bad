import type { Decision } from "../../policy/eval/types.js";
import type { Statement } from "../../policy/types.js";
import {
  conditionKeys,
  statementDecision,
  statementLocation,
  statementName,
  statementsWithEffect,
} from "./statements.js";
import type { Check, CheckContext, EvaluatedOperation, RawFinding } from "./types.js";

/**
 * Checks for explicit Deny statements that catch Nimble's requests, one per family of
 * condition, so the fix can be specific.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */

interface DenyFamily {
  id: string;
  /** What the Deny is about, for the message */
  about: string;
  matches: (statement: Statement) => boolean;
}

const hasKey = (pattern: RegExp) => (statement: Statement) =>
  conditionKeys(statement).some((key) => pattern.test(key));

/** The families, in the order they are reported. */
export const DENY_FAMILIES: readonly DenyFamily[] = [
  {
    id: "S3-DENY-NOT-PRINCIPAL",
    about: "Deny with NotPrincipal that does not list Nimble's user",
    matches: (statement) => statement.NotPrincipal !== undefined,
  },
  {
    id: "S3-DENY-VPC-ENDPOINT",
    about: "it requires the customer's VPC endpoint, which Nimble never calls through",
    matches: hasKey(/^aws:sourcevpce?$/),
  },
  {
    id: "S3-DENY-SOURCE-IP",
    about: "it limits source IP addresses, and Nimble's are not published",
    matches: hasKey(/^aws:(sourceip|vpcsourceip)$/),
  },
  {
    id: "S3-DENY-ORG-PERIMETER",
    about: "it is an organization perimeter, and Nimble's account is outside it",
    matches: hasKey(/^aws:principal(orgid|orgpaths|account)$/),
  },
  {
    id: "S3-DENY-REQUIRES-SSE-HEADER",
    about:
      "it requires an x-amz-server-side-encryption header, which default encryption does not add",
    matches: hasKey(/^s3:x-amz-server-side-encryption/),
  },
  {
    id: "S3-DENY-REQUIRES-ACL-HEADER",
    about: "it requires an ACL header that Nimble's uploads are not known to send",
    matches: hasKey(/^s3:x-amz-(acl|grant-)/),
  },
];

function familyCheck(family: DenyFamily): Check {
  return {
    name: `deny:${family.id}`,
    run: (context) =>
      catchingDenies(context)
        .filter(({ statement }) => family.matches(statement))
        .map((hit) => denyFinding(context, family.id, family.about, hit)),
  };
}

/** One check per Deny family. */
export const denyFamilyChecks: readonly Check[] = DENY_FAMILIES.map(familyCheck);

/** S3-DENY-CATCHES-NIMBLE: a Deny that catches Nimble and fits none of the families. */
export const denyOther: Check = {
  name: "denyOther",
  run: (context) =>
    catchingDenies(context)
      .filter(({ statement }) => !DENY_FAMILIES.some((family) => family.matches(statement)))
      .map((hit) => denyFinding(context, "S3-DENY-CATCHES-NIMBLE", "explicit Deny", hit)),
};

interface DenyHit {
  statement: Statement;
  index: number;
  caught: { op: EvaluatedOperation; decision: Decision }[];
}

/** Deny statements that, alone, explicitly deny (or may deny) a request Nimble makes. */
function catchingDenies(context: CheckContext): DenyHit[] {
  return statementsWithEffect(context.bucketPolicy, "Deny")
    .map(({ statement, index }) => ({
      statement,
      index,
      caught: context.operations
        .map((op) => ({ op, decision: statementDecision(context, statement, op.request) }))
        .filter(({ decision }) => decision === "explicitly-denied" || decision === "depends"),
    }))
    .filter((hit) => hit.caught.length > 0);
}

function denyFinding(context: CheckContext, id: string, about: string, hit: DenyHit): RawFinding {
  const policy = context.bucketPolicy!;
  const denied = hit.caught.filter(({ decision }) => decision === "explicitly-denied");
  const maybe = hit.caught.filter(({ decision }) => decision === "depends");
  const parts = [
    denied.length > 0 ? `denies ${labels(denied)}` : "",
    maybe.length > 0 ? `may deny ${labels(maybe)} (depends on request values)` : "",
  ].filter(Boolean);
  const element = hit.statement.NotPrincipal !== undefined && !hit.statement.Condition;
  return {
    id,
    message: `${statementName(policy, hit.index)} ${parts.join(" and ")}: ${about}`,
    location: statementLocation(policy, hit.index, element ? "NotPrincipal" : "Condition"),
  };
}

function labels(caught: { op: EvaluatedOperation }[]): string {
  return caught.map(({ op }) => op.operation).join(", ");
}
