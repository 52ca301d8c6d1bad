import { createServer } from "node:net";
import { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { auditS3 } from "../../src/audit/audit-s3.js";
import { readS3AuditInput } from "../../src/audit/live-s3.js";
import type { BucketAudit } from "../../src/audit/types.js";
import { planAudit } from "../../src/cli/commands/audit-plan.js";
import { runJobs } from "../../src/cli/commands/audit-run.js";
import { renderAuditReport } from "../../src/report/audit-report.js";
import type { AuditFormat } from "../../src/report/audit-report.js";
import { testIo } from "./cli-support.js";

/**
 * A live audit that reads nothing says why (the error's code and message) and says that nothing
 * was read; a `--config` connection's name and use head its audit in every format.
 */

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === "object" && address ? address.port : 9;
}

describe("a live audit against a closed port", () => {
  it("shows ECONNREFUSED in each could-not-read finding and says nothing was read", async () => {
    const s3 = new S3Client({
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      region: "us-east-1",
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });

    const input = await readS3AuditInput({ use: "jobs", bucket: "acme-data-exchange" }, { s3 });
    const audit = auditS3(input);

    const reads = audit.findings.filter((f) => f.id === "AUDIT-COULD-NOT-READ");
    expect(reads.length).toBeGreaterThan(0);
    for (const finding of reads) expect(finding.message).toMatch(/ECONNREFUSED/);
    expect(audit.chipsUnknownBecause).toMatch(/^nothing could be read from s3:\/\/acme-data/);
    const text = await renderAuditReport([audit], "text", {
      rules: [],
      files: new Map(),
      failOn: "error",
    });
    expect(text).toContain("read unknown (nothing could be read from s3://acme-data-exchange");
    expect(text).not.toContain("depends on values this audit cannot know");
  });
});

describe("--config connection names head their audits", () => {
  it("plans each connection of examples/connections.yaml with its name", async () => {
    const plan = await planAudit(
      { config: "examples/connections.yaml", format: "text", "fail-on": "error", concurrency: 1 },
      testIo(),
    );

    expect(plan.jobs.map((job) => job.name)).toEqual(["nightly crawl", "async API results"]);
  });

  it("runJobs carries a job's name into its audit", async () => {
    const { readFileSync } = await import("node:fs");
    const { parsePolicyText } = await import("../../src/policy/parse.js");
    const path = "examples/s3/jobs-good.bucket-policy.json";
    const text = readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
    const input = {
      use: "jobs" as const,
      bucket: "acme-data-exchange",
      bucketPolicy: { document: parsePolicyText(text, path), source: path },
    };
    const plan = {
      jobs: [{ kind: "s3-offline" as const, input, name: "nightly crawl" }],
      format: "text" as const,
      failOn: "error" as const,
      confirmWithAws: false,
      concurrency: 1,
      live: {},
      files: new Map<string, string>(),
    };

    const [audit] = await runJobs(plan, testIo());

    expect(audit).toMatchObject({ name: "nightly crawl", use: "jobs" });
  });

  const jobs: BucketAudit = {
    bucket: "acme-data-exchange",
    provider: "s3",
    name: "nightly crawl",
    use: "jobs",
    operations: [],
    findings: [{ id: "S3-OBJECT-LOCK", severity: "warning", message: "m" }],
    predictedChips: { read: "ok", write: "ok" },
  };
  const delivery: BucketAudit = { ...jobs, name: "async API results", use: "delivery" };

  it.each<{ format: AuditFormat; shows: string[] }>([
    {
      format: "text",
      shows: [
        "s3://acme-data-exchange (nightly crawl, jobs)\n",
        "s3://acme-data-exchange (async API results, delivery)\n",
      ],
    },
    {
      format: "json",
      shows: ['"name": "nightly crawl",\n      "use": "jobs"', '"name": "async API results"'],
    },
    {
      format: "junit",
      shows: [
        'classname="s3://acme-data-exchange (nightly crawl, jobs)" name="[nightly crawl] S3-OBJECT-LOCK"',
        'name="[async API results] S3-OBJECT-LOCK"',
      ],
    },
    {
      format: "markdown",
      shows: [
        "## s3://acme-data-exchange (nightly crawl, jobs)",
        "## s3://acme-data-exchange (async API results, delivery)",
      ],
    },
    { format: "sarif", shows: ['"connection": "nightly crawl"', '"use": "delivery"'] },
  ])("$format shows each connection's name and use", async ({ format, shows }) => {
    const options = { rules: [], files: new Map<string, string>(), failOn: "warning" as const };

    const report = await renderAuditReport([jobs, delivery], format, options);

    for (const text of shows) expect(report).toContain(text);
  });
});
