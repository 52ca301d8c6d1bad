import type { BucketAudit, CheckInfo, Finding, Severity } from "../audit/types.js";
import { locateJsonPath } from "./audit-locate.js";
import { redact } from "./redact.js";

/**
 * The audit as SARIF 2.1.0 for GitHub code scanning: one rule per check id (from the registry),
 * one result per finding, located in the policy file (line and column of the JSON path) when
 * the audit read files, or at the bucket (`s3://BUCKET`) when it read them live.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */

/** What the SARIF renderer needs besides the audits. */
export interface SarifOptions {
  /** Every check's text (S3 and GCS), for tool.driver.rules */
  rules: readonly CheckInfo[];
  /** Original text of each file read offline, by the source name used in locations */
  files: ReadonlyMap<string, string>;
  env?: Readonly<Record<string, string | undefined>>;
}

const LEVEL: Readonly<Record<Severity, string>> = {
  error: "error",
  warning: "warning",
  info: "note",
};
const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/**
 * @param audits - one audit per bucket
 * @param options - rules and file texts
 * @returns the SARIF log as JSON text
 */
export function renderAuditSarif(audits: readonly BucketAudit[], options: SarifOptions): string {
  const ruleIndex = new Map(options.rules.map((rule, index) => [rule.id, index]));
  const results = audits.flatMap((audit) =>
    audit.findings.map((finding) => sarifResult(audit, finding, ruleIndex, options)),
  );
  const log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "nimble-bucket",
            informationUri: "https://docs.nimbleway.com",
            rules: options.rules.map(sarifRule),
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function sarifRule(rule: CheckInfo) {
  return {
    id: rule.id,
    name: rule.id
      .toLowerCase()
      .replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.explanation },
    help: { text: helpText(rule) },
    ...(rule.see ? { helpUri: rule.see } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
  };
}

function helpText(rule: CheckInfo): string {
  const fix = rule.fix ? ` Fix: ${rule.fix}` : "";
  const see = rule.see ? ` See ${rule.see}` : "";
  return `${rule.explanation}${fix}${see}`;
}

function sarifResult(
  audit: BucketAudit,
  finding: Finding,
  ruleIndex: ReadonlyMap<string, number>,
  options: SarifOptions,
) {
  const index = ruleIndex.get(finding.id);
  return {
    ruleId: finding.id,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[finding.severity],
    message: { text: redact(finding.message, options.env) },
    locations: [physicalLocation(audit, finding, options.files)],
    properties: {
      bucket: `${audit.provider === "gcs" ? "gs" : "s3"}://${audit.bucket}`,
      ...(audit.name === undefined ? {} : { connection: redact(audit.name, options.env) }),
      ...(audit.use === undefined ? {} : { use: audit.use }),
    },
  };
}

function physicalLocation(
  audit: BucketAudit,
  finding: Finding,
  files: ReadonlyMap<string, string>,
) {
  const source = finding.location?.source;
  const text = source === undefined ? undefined : files.get(source);
  if (source === undefined || text === undefined) {
    const uri = audit.provider === "gcs" ? `gs://${audit.bucket}` : `s3://${audit.bucket}`;
    return { physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } } };
  }

  const at = locateJsonPath(text, finding.location?.path ?? "") ?? { line: 1, column: 1 };
  return {
    physicalLocation: {
      artifactLocation: { uri: source.replace(/\\/g, "/").replace(/^\.\//, "") },
      region: { startLine: at.line, startColumn: at.column },
    },
  };
}
