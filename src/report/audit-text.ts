import type { BucketAudit, Finding, OperationVerdict } from "../audit/types.js";
import type { Decision } from "../policy/eval/types.js";
import { CHIPS } from "../probe/types.js";
import type { ProbeStatus } from "../probe/types.js";
import { redact } from "./redact.js";

/**
 * The audit as text for a terminal: per bucket, each operation with its decision, the findings
 * with their locations and fixes, and the predicted Test Connection chips.
 */

const MARK: Readonly<Record<Decision, string>> = {
  allowed: "✓",
  "implicitly-denied": "✗",
  "explicitly-denied": "✗",
  depends: "?",
};

/** The note every audit ends with: the tool sees only the customer's side. */
export const CUSTOMER_SIDE_NOTE =
  "Only the customer's side was audited: Nimble's own account must allow these requests too.";

/**
 * @param audits - one audit per bucket
 * @param env - the environment whose secrets must not appear
 * @returns the text, ending in a newline
 */
export function renderAuditText(
  audits: readonly BucketAudit[],
  env?: Readonly<Record<string, string | undefined>>,
): string {
  const blocks = audits.map((audit) => redact(bucketText(audit), env));
  return `${[...blocks, CUSTOMER_SIDE_NOTE].join("\n\n")}\n`;
}

function bucketText(audit: BucketAudit): string {
  const scheme = audit.provider === "gcs" ? "gs" : "s3";
  return [
    `${scheme}://${audit.bucket}`,
    "  Operations:",
    ...audit.operations.map(operationLine),
    ...(audit.operations.length === 0 ? ["    (none evaluated)"] : []),
    `  Findings: ${audit.findings.length === 0 ? "none" : ""}`.trimEnd(),
    ...audit.findings.map(findingLines),
    `  Predicted Test Connection: ${chipsText(audit.predictedChips)}`,
  ].join("\n");
}

function operationLine(op: OperationVerdict): string {
  const label = op.operation ? `${op.operation} ${op.action}` : `${op.action} ${op.resource}`;
  const depends = op.dependsOn.length > 0 ? ` on ${op.dependsOn.join(", ")}` : "";
  return `    ${MARK[op.decision]} ${label}: ${op.decision}${depends}`;
}

function findingLines(finding: Finding): string {
  const where = locationText(finding);
  return [
    `    ${finding.severity.toUpperCase()} ${finding.id}: ${finding.message}`,
    ...(where ? [`      at ${where}`] : []),
    ...(finding.fix ? [`      fix: ${finding.fix}`] : []),
  ].join("\n");
}

/** `file.json Statement[2].Condition (Sid X)`, or "" without a location. */
export function locationText(finding: Finding): string {
  const location = finding.location;
  if (!location) return "";

  const sid = location.sid ? ` (Sid ${location.sid})` : "";
  return `${location.source}${location.path ? ` ${location.path}` : ""}${sid}`;
}

function chipsText(chips: BucketAudit["predictedChips"]): string {
  const parts = (["read", "write"] as const)
    .filter((mode) => chips[mode] !== undefined)
    .map((mode) => `${mode} ${chipText(chips[mode]!)}`);
  return parts.join(", ") || "none";
}

function chipText(status: ProbeStatus | "unknown"): string {
  if (status === "unknown") return "unknown (depends on values this audit cannot know)";
  if (status === "ok") return `${CHIPS.ok} (permissions correct; the prefix may still be empty)`;
  return CHIPS[status];
}
