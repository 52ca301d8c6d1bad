import { describe, expect, it } from "vitest";
import { findCheck, S3_CHECKS } from "../../src/audit/registry.js";
import type { BucketAudit } from "../../src/audit/types.js";
import { xmlEscape } from "../../src/report/escape.js";
import { locateJsonPath } from "../../src/report/audit-locate.js";
import { renderAuditReport } from "../../src/report/audit-report.js";
import type { AuditFormat } from "../../src/report/audit-report.js";
import { auditFixture, fixture } from "./support.js";

/** Report formats: structure of each, and SARIF regions that point at the statement. */

const C12 = "c12-deny-outside-vpce.bucket-policy.json";
const C01 = "c01-list-on-object-arn.bucket-policy.json";

function render(format: AuditFormat, audits: BucketAudit[], env = {}) {
  const files = new Map([C12, C01].map((name) => [name, fixture(name)]));
  return renderAuditReport(audits, format, { rules: S3_CHECKS, files, failOn: "error", env });
}

/** 1-based line of the first line containing `needle` at or after line `from`. */
function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split("\n");
  const index = lines.findIndex((line, i) => i + 1 >= from && line.includes(needle));
  return index + 1;
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: { name: string; rules: { id: string; defaultConfiguration: { level: string } }[] };
    };
    results: {
      ruleId: string;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; startColumn?: number };
        };
      }[];
    }[];
  }[];
}

describe("SARIF report", () => {
  it("is SARIF 2.1.0 with the registry as rules and a rule for every result", async () => {
    const log = JSON.parse(await render("sarif", [auditFixture({ policy: C12 })])) as SarifLog;
    const run = log.runs[0]!;
    const ruleIds = run.tool.driver.rules.map((r) => r.id);

    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(run.tool.driver.name).toBe("nimble-bucket");
    expect(ruleIds).toEqual(S3_CHECKS.map((c) => c.id));
    expect(run.results.length).toBeGreaterThan(0);
    for (const result of run.results) {
      expect(ruleIds).toContain(result.ruleId);
      expect(["error", "warning", "note"]).toContain(result.level);
      expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe(C12);
    }
  });

  it("points the VPC-endpoint finding at the Deny's Condition line", async () => {
    const log = JSON.parse(await render("sarif", [auditFixture({ policy: C12 })])) as SarifLog;
    const result = log.runs[0]!.results.find((r) => r.ruleId === "S3-DENY-VPC-ENDPOINT")!;
    const text = fixture(C12);
    const denyLine = lineOf(text, '"DenyOutsideVpce"');

    expect(result.locations[0]!.physicalLocation.region.startLine).toBe(
      lineOf(text, '"Condition"', denyLine),
    );
  });

  it("points the ListBucket-on-object-ARN finding at the statement's Resource line", async () => {
    const log = JSON.parse(await render("sarif", [auditFixture({ policy: C01 })])) as SarifLog;
    const result = log.runs[0]!.results.find((r) => r.ruleId === "S3-LIST-ON-OBJECT-ARN")!;

    expect(result.locations[0]!.physicalLocation.region.startLine).toBe(
      lineOf(fixture(C01), '"Resource"'),
    );
  });

  it("locates the bucket for findings without a file (live audits)", async () => {
    const audit: BucketAudit = {
      bucket: "b-live",
      provider: "s3",
      operations: [],
      findings: [
        {
          id: "AUDIT-COULD-NOT-READ",
          severity: "warning",
          message: "m",
          location: { source: "s3://b-live" },
        },
      ],
      predictedChips: { read: "unknown", write: "unknown" },
    };
    const log = JSON.parse(await render("sarif", [audit])) as SarifLog;

    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe(
      "s3://b-live",
    );
  });
});

describe("JSON path locator", () => {
  const text =
    '{\n  "Statement": [\n    {"Sid": "a"},\n    {\n      "Sid": "b",\n      "Condition": {}\n    }\n  ]\n}';

  it.each([
    { path: "Statement", line: 2, column: 3 },
    { path: "Statement[0]", line: 3, column: 5 },
    { path: "Statement[1].Condition", line: 6, column: 7 },
    { path: "Statement[1].Sid", line: 5, column: 7 },
  ])("finds $path", ({ path, line, column }) => {
    expect(locateJsonPath(text, path)).toEqual({ line, column });
  });

  it("finds a lone Statement object as Statement[0]", () => {
    expect(locateJsonPath('{"Statement": {"Effect": "Allow"}}', "Statement[0].Effect")).toEqual({
      line: 1,
      column: 16,
    });
  });

  it("returns undefined for a path that is not there", () => {
    expect(locateJsonPath(text, "Statement[5].Condition")).toBeUndefined();
  });
});

describe("JSON report", () => {
  it("has the documented shape", async () => {
    const parsed = JSON.parse(await render("json", [auditFixture({ policy: C12 })])) as {
      buckets: Record<string, unknown>[];
    };
    const bucket = parsed.buckets[0]!;

    expect(Object.keys(bucket)).toEqual([
      "bucket",
      "use",
      "operations",
      "findings",
      "predictedChips",
    ]);
    expect(bucket.use).toBe("jobs");
    expect(bucket.bucket).toBe("example-bucket");
    const operation = (bucket.operations as Record<string, unknown>[])[0]!;
    for (const key of ["action", "resource", "decision", "dependsOn", "statements"]) {
      expect(operation).toHaveProperty(key);
    }
    const finding = (bucket.findings as Record<string, unknown>[])[0]!;
    expect(Object.keys(finding)).toEqual(["id", "severity", "message", "location", "fix"]);
    expect(bucket.predictedChips).toEqual({ read: "access-denied", write: "access-denied" });
  });

  it("redacts secrets from messages", async () => {
    const audit = auditFixture({ policy: C12 });
    audit.findings.push({
      id: "AUDIT-COULD-NOT-READ",
      severity: "warning",
      message: "key AKIAABCDEFGHIJKLMNOP",
    });
    const text = await render("json", [audit]);

    expect(text).not.toContain("AKIAABCDEFGHIJKLMNOP");
  });
});

describe("JUnit, Markdown and text reports", () => {
  it("JUnit has one test case per operation and finding, and counts failures", async () => {
    const audit = auditFixture({ policy: C12 });
    const xml = await render("junit", [audit]);
    const cases = xml.match(/<testcase /g) ?? [];
    const failures = xml.match(/<failure /g) ?? [];

    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(cases).toHaveLength(audit.operations.length + audit.findings.length);
    expect(xml).toContain(`failures="${failures.length}"`);
    expect(failures.length).toBeGreaterThan(0);
  });

  it("Markdown has the operations and findings tables", async () => {
    const md = await render("markdown", [auditFixture({ policy: C12 })]);

    expect(md).toContain("| Operation | Action | Resource | Decision | Depends on |");
    expect(md).toContain("`S3-DENY-VPC-ENDPOINT`");
    expect(md).toContain("Nimble's own account must allow");
  });

  it("text names the predicted chips and the customer-side limitation", async () => {
    const text = await render("text", [auditFixture({ policy: C12 })]);

    expect(text).toContain(
      "Predicted Test Connection: read ✗ Access denied, write ✗ Access denied",
    );
    expect(text).toContain("Statement[3].Condition (Sid DenyOutsideVpce)");
    expect(text).toContain("Nimble's own account must allow");
  });
});

describe("how to fix it: each finding carries its check's fix line", () => {
  const VPCE_FIX = findCheck("S3-DENY-VPC-ENDPOINT")!.fix!;

  it("every S3 check has a one-line fix, kept apart from its explanation", () => {
    for (const check of S3_CHECKS) {
      expect(check.fix, check.id).toMatch(/^[A-Z].{10,120}$/);
      expect(check.explanation, check.id).not.toContain("Fix:");
    }
  });

  it("text shows the fix on its own line under the finding and its location", async () => {
    const lines = (await render("text", [auditFixture({ policy: C12 })])).split("\n");
    const at = lines.findIndex((line) => line.includes("S3-DENY-VPC-ENDPOINT:"));

    expect(lines[at + 1]).toMatch(/^ {6}at .*Statement\[3\]/);
    expect(lines[at + 2]).toBe(`      fix: ${VPCE_FIX}`);
  });

  it.each([
    ["markdown", `| ${VPCE_FIX} |`],
    ["junit", `Fix: ${xmlEscape(VPCE_FIX)}</failure>`],
    ["sarif", JSON.stringify(`Fix: ${VPCE_FIX}`).slice(1, -1)],
  ] as const)("%s shows it", async (format, expected) => {
    const report = await render(format, [auditFixture({ policy: C12 })]);

    expect(report).toContain(expected);
  });

  it("JSON adds fix to each finding: the registry's line, or null for an unknown id", async () => {
    const audit = auditFixture({ policy: C12 });
    audit.findings.push({ id: "NO-SUCH-CHECK", severity: "info", message: "m" });
    const json = JSON.parse(await render("json", [audit])) as {
      buckets: { findings: { id: string; fix: string | null }[] }[];
    };
    const fixes = Object.fromEntries(json.buckets[0]!.findings.map((f) => [f.id, f.fix]));

    expect(fixes["S3-DENY-VPC-ENDPOINT"]).toBe(VPCE_FIX);
    expect(fixes["NO-SUCH-CHECK"]).toBeNull();
  });
});
