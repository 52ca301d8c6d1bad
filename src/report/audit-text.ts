import type { BucketAudit, Finding, OperationVerdict } from "../audit/types.js";
import type { Decision } from "../policy/eval/types.js";
import { CHIPS } from "../probe/types.js";
import type { ProbeStatus } from "../probe/types.js";
import { terminalText } from "./escape.js";
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

/**
 * A bucket's heading: its URL, then the `--config` connection's name and the use, e.g.
 * `s3://acme-data-exchange (nightly crawl, jobs)`, so two audits of one bucket are told apart.
 * @param audit - one bucket's audit
 * @returns the heading
 */
export function bucketHeading(audit: BucketAudit): string {
  const scheme = audit.provider === "gcs" ? "gs" : "s3";
  const about = [audit.name, audit.use].filter((part) => part !== undefined && part !== "");
  return `${scheme}://${audit.bucket}${about.length > 0 ? ` (${about.join(", ")})` : ""}`;
}

function bucketText(audit: BucketAudit): string {
  return [
    inline(bucketHeading(audit)),
    "  Operations:",
    ...audit.operations.map(operationLine),
    ...(audit.operations.length === 0 ? ["    (none evaluated)"] : []),
    `  Findings: ${audit.findings.length === 0 ? "none" : ""}`.trimEnd(),
    ...audit.findings.map(findingLines),
    `  Predicted Test Connection: ${inline(chipsText(audit))}`,
  ].join("\n");
}

/**
 * A field that may carry outside text (a live policy's Sid or condition key, a server's error
 * message, an IAM member, a --config name) on one terminal line: control characters, escape
 * sequences and line breaks included, are shown as `\uXXXX`, so they cannot move the cursor,
 * recolour or forge report lines.
 */
function inline(text: string): string {
  return terminalText(text).replace(/\n/g, "\\u000a");
}

function operationLine(op: OperationVerdict): string {
  const label = op.operation ? `${op.operation} ${op.action}` : `${op.action} ${op.resource}`;
  const depends = op.dependsOn.length > 0 ? ` on ${op.dependsOn.join(", ")}` : "";
  const info = op.informational ? " (not needed by Nimble)" : "";
  return `    ${MARK[op.decision]} ${inline(label)}: ${op.decision}${inline(depends)}${info}`;
}

function findingLines(finding: Finding): string {
  const where = locationText(finding);
  return [
    `    ${finding.severity.toUpperCase()} ${inline(finding.id)}: ${inline(finding.message)}`,
    ...(where ? [`      at ${inline(where)}`] : []),
    ...(finding.fix ? [`      fix: ${inline(finding.fix)}`] : []),
  ].join("\n");
}

/** `file.json Statement[2].Condition (Sid X)` or `policy.json bindings[0] (role R)`; "" without. */
export function locationText(finding: Finding): string {
  const location = finding.location;
  if (!location) return "";

  const sid = location.sid ? ` (Sid ${location.sid})` : "";
  const role = location.role ? ` (role ${location.role})` : "";
  return `${location.source}${location.path ? ` ${location.path}` : ""}${sid}${role}`;
}

/**
 * The predicted chips as a line: `read ✓ Connection OK (...), write ✗ Access denied`.
 * @param audit - one bucket's audit
 * @returns the line, `none` without chips
 */
export function chipsText(audit: BucketAudit): string {
  const chips = audit.predictedChips;
  const parts = (["read", "write"] as const)
    .filter((mode) => chips[mode] !== undefined)
    .map((mode) => `${mode} ${chipText(mode, chips[mode]!, audit, audit.chipNotes?.[mode])}`);
  return parts.join(", ") || "none";
}

/** Only the read chip can be "prefix is empty": the write probe creates its own object. */
const OK_NOTE: Readonly<Record<"read" | "write", string>> = {
  read: "permissions correct; the prefix may still be empty",
  write: "permissions correct",
};

const UNKNOWN_NOTE = "depends on values this audit cannot know";

/** A chip, with the audit's note on it (e.g. why it is unknown) when there is one. */
function chipText(
  mode: "read" | "write",
  status: ProbeStatus | "unknown",
  audit: BucketAudit,
  note: string | undefined,
): string {
  if (status === "unknown") return `unknown (${note ?? audit.chipsUnknownBecause ?? UNKNOWN_NOTE})`;
  if (status === "ok") return `${CHIPS.ok} (${note ?? OK_NOTE[mode]})`;
  return note ? `${CHIPS[status]} (${note})` : CHIPS[status];
}
