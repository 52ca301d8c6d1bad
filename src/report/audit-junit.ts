import type { BucketAudit, Severity } from "../audit/types.js";
import { isOperationFailing, reachesFailOn } from "../audit/verdict.js";
import { xmlEscape } from "./escape.js";
import { redact } from "./redact.js";
import { bucketHeading, locationText } from "./audit-text.js";
import { render } from "./templates.js";

/**
 * The audit as JUnit XML for CI: one test suite per bucket, one test case per operation Nimble
 * needs (failing unless allowed) and one per finding (failing at or above `failOn`).
 */

/**
 * @param audits - one audit per bucket
 * @param failOn - the lowest severity that fails
 * @param env - the environment whose secrets must not appear
 * @returns the XML text
 */
export async function renderAuditJunit(
  audits: readonly BucketAudit[],
  failOn: Severity,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const text = (value: string) => xmlEscape(redact(value, env));
  const suites = audits.map((audit) => {
    const classname = text(bucketHeading(audit));
    const prefix = audit.name === undefined ? "" : `[${audit.name}] `;
    const operations = audit.operations.map((op) => ({
      classname,
      name: text(`${prefix}${op.operation ?? op.action} ${op.action} ${op.resource}`),
      failure: isOperationFailing(op)
        ? {
            type: op.decision,
            message: text(
              `${op.decision}${op.dependsOn.length > 0 ? ` on ${op.dependsOn.join(", ")}` : ""}`,
            ),
          }
        : undefined,
    }));
    const findings = audit.findings.map((finding) => ({
      classname,
      name: text(`${prefix}${finding.id} ${locationText(finding)}`.trim()),
      failure: reachesFailOn(finding.severity, failOn)
        ? {
            type: finding.severity,
            message: text(finding.message),
            body: text(finding.fix ? `${finding.message}\nFix: ${finding.fix}` : finding.message),
          }
        : undefined,
    }));
    const cases = [...operations, ...findings];
    return {
      name: classname,
      tests: cases.length,
      failures: cases.filter((c) => c.failure).length,
      cases,
    };
  });
  return render("audit-junit", {
    suites,
    tests: suites.reduce((sum, s) => sum + s.tests, 0),
    failures: suites.reduce((sum, s) => sum + s.failures, 0),
  });
}
