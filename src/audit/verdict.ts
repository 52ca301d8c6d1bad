import type { OperationVerdict, Severity } from "./types.js";

/**
 * Whether an audit fails, decided in one place for the exit code and the JUnit report: an
 * operation Nimble needs that is not allowed fails, and so does a finding at or above `--fail-on`.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** Severities in order, lowest first: a finding fails when its rank reaches the threshold's. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/**
 * True when a finding of this severity fails the audit.
 * @param severity - the finding's severity
 * @param failOn - the lowest failing severity
 * @returns whether the severity is at or above the threshold
 */
export function reachesFailOn(severity: Severity, failOn: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

/**
 * True when an operation fails the audit: Nimble needs it (it is not informational) and the
 * policies do not allow it (denied, or depending on something they cannot show).
 * @param op - the operation's verdict
 * @returns whether it fails
 */
export function isOperationFailing(op: OperationVerdict): boolean {
  return op.informational !== true && op.decision !== "allowed";
}
