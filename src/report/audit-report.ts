import type { BucketAudit, CheckInfo, Severity } from "../audit/types.js";

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
