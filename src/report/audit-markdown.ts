import type { BucketAudit } from "../audit/types.js";
import { markdownCell } from "./escape.js";
import { redact } from "./redact.js";
import { bucketHeading, chipsText, CUSTOMER_SIDE_NOTE, locationText } from "./audit-text.js";
import { render } from "./templates.js";

/**
 * The audit as Markdown (for a pull-request comment or a CI summary), via
 * templates/audit-markdown.hbs.
 * @param audits - one audit per bucket
 * @param env - the environment whose secrets must not appear
 * @returns the Markdown text
 */
export async function renderAuditMarkdown(
  audits: readonly BucketAudit[],
  env?: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const cell = (text: string) => markdownCell(redact(text, env));
  const buckets = audits.map((audit) => ({
    heading: markdownCell(redact(bucketHeading(audit), env)),
    chips: markdownCell(redact(chipsText(audit), env)),
    operations: audit.operations.map((op) => ({
      operation: cell(op.operation ?? ""),
      action: cell(op.action),
      resource: cell(op.resource),
      mark: op.decision === "allowed" ? "✅" : op.decision === "depends" ? "❔" : "❌",
      decision: op.decision,
      dependsOn: cell(op.dependsOn.join(", ")),
    })),
    findings: audit.findings.map((finding) => ({
      severity: finding.severity,
      id: finding.id,
      message: cell(finding.message),
      location: cell(locationText(finding)),
      fix: cell(finding.fix ?? ""),
    })),
  }));
  return render("audit-markdown", { buckets, note: CUSTOMER_SIDE_NOTE });
}
