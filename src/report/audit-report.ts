import type { BucketAudit, CheckInfo, Finding, Severity } from "../audit/types.js";

/**
 * Renders audits in the format the user chose. Each renderer is imported on first use.
 */

/** The formats `--format` accepts. */
export const AUDIT_FORMATS = ["text", "json", "sarif", "junit", "markdown"] as const;

/** One of {@link AUDIT_FORMATS}. */
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** What the renderers need besides the audits. */
export interface AuditReportOptions {
  /** Every check's text, for SARIF rules */
  rules: readonly CheckInfo[];
  /** Original text of each file read offline, by source name, for SARIF regions */
  files: ReadonlyMap<string, string>;
  failOn: Severity;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Renders the audits; each finding shows its check's `fix` line (from `options.rules`).
 * @param audits - one audit per bucket
 * @param format - the output format
 * @param options - rules, file texts, threshold, environment
 * @returns the rendered report
 */
export async function renderAuditReport(
  audits: readonly BucketAudit[],
  format: AuditFormat,
  options: AuditReportOptions,
): Promise<string> {
  const withFixes = addFixes(audits, options.rules);
  return renderAs(withFixes, format, options);
}

/**
 * Gives each finding its check's `fix` line from the registry, unless it has one.
 * @param audits - one audit per bucket
 * @param rules - every check's text
 * @returns the audits, findings with `fix` where the registry has one
 */
export function addFixes(
  audits: readonly BucketAudit[],
  rules: readonly CheckInfo[],
): BucketAudit[] {
  const fixes = new Map(rules.flatMap((rule) => (rule.fix ? [[rule.id, rule.fix] as const] : [])));
  const withFix = (finding: Finding): Finding => {
    const fix = finding.fix ?? fixes.get(finding.id);
    return fix === undefined ? finding : { ...finding, fix };
  };

  return audits.map((audit) => ({ ...audit, findings: audit.findings.map(withFix) }));
}

async function renderAs(
  audits: readonly BucketAudit[],
  format: AuditFormat,
  options: AuditReportOptions,
): Promise<string> {
  switch (format) {
    case "json":
      return (await import("./audit-json.js")).renderAuditJson(audits, options.env);
    case "sarif":
      return (await import("./audit-sarif.js")).renderAuditSarif(audits, options);
    case "junit":
      return (await import("./audit-junit.js")).renderAuditJunit(
        audits,
        options.failOn,
        options.env,
      );
    case "markdown":
      return (await import("./audit-markdown.js")).renderAuditMarkdown(audits, options.env);
    case "text":
      return (await import("./audit-text.js")).renderAuditText(audits, options.env);
  }
}
