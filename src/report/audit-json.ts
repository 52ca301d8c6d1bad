import type { BucketAudit, Finding } from "../audit/types.js";
import { redact } from "./redact.js";

/**
 * The audit as JSON: `{"buckets": [{"bucket", "name"?, "use"?, "operations": [{"operation", "action",
 * "resource", "decision", "dependsOn", "statements"}], "findings": [{"id", "severity",
 * "message", "location", "fix"}], "predictedChips": {"read", "write"}, "chipsUnknownBecause"?,
 * "chipNotes"?: {"read"?, "write"?}}]}`.
 * `name` is the `--config` connection's name, `use` jobs or delivery; `fix` is the check's fix
 * line, or null when the registry has none.
 * @param audits - one audit per bucket
 * @param env - the environment whose secrets must not appear
 * @returns the JSON text, with a trailing newline
 */
export function renderAuditJson(
  audits: readonly BucketAudit[],
  env?: Readonly<Record<string, string | undefined>>,
): string {
  const buckets = audits.map((audit) => ({
    bucket: audit.bucket,
    ...(audit.name === undefined ? {} : { name: redact(audit.name, env) }),
    ...(audit.use === undefined ? {} : { use: audit.use }),
    operations: audit.operations.map((op) => ({
      operation: op.operation,
      action: op.action,
      resource: op.resource,
      decision: op.decision,
      dependsOn: op.dependsOn,
      statements: op.statements,
      ...(op.informational ? { informational: true } : {}),
    })),
    findings: audit.findings.map((finding) => jsonFinding(finding, env)),
    predictedChips: audit.predictedChips,
    ...(audit.chipsUnknownBecause ? { chipsUnknownBecause: audit.chipsUnknownBecause } : {}),
    ...(audit.chipNotes ? { chipNotes: audit.chipNotes } : {}),
  }));
  return `${JSON.stringify({ buckets }, null, 2)}\n`;
}

function jsonFinding(finding: Finding, env?: Readonly<Record<string, string | undefined>>) {
  return {
    id: finding.id,
    severity: finding.severity,
    message: redact(finding.message, env),
    location: finding.location ?? null,
    fix: finding.fix ?? null,
  };
}
