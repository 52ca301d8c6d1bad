import { describe, expect, it } from "vitest";
import type { AuditJob, AuditPlan } from "../../src/cli/commands/audit-plan.js";
import { runJobs } from "../../src/cli/commands/audit-run.js";
import { parsePolicyText } from "../../src/policy/parse.js";
import { testIo } from "./cli-support.js";
import { fixture } from "./support.js";

/** The progress line of a many-bucket audit: stderr, only on a terminal, cleared at the end. */

const CLEAR = "\r\x1b[2K";
const POLICY = "c01-list-on-object-arn.bucket-policy.json";

function offlineJob(bucket: string): AuditJob {
  const document = parsePolicyText(fixture(POLICY), POLICY);
  return {
    kind: "s3-offline",
    input: { use: "jobs", bucket, bucketPolicy: { document, source: POLICY } },
  };
}

function planOf(buckets: string[]): AuditPlan {
  return {
    jobs: buckets.map(offlineJob),
    format: "text",
    failOn: "error",
    confirmWithAws: false,
    concurrency: 1,
    live: { pathStyle: false },
    files: new Map(),
  };
}

describe("runJobs progress line", () => {
  it.each([
    {
      name: "counts done buckets on a terminal, then clears the line",
      isTty: true,
      buckets: ["bucket-a", "bucket-b"],
      stderr: `${CLEAR}[0/2] auditing s3://bucket-a${CLEAR}[1/2] auditing s3://bucket-b${CLEAR}`,
    },
    {
      name: "writes nothing when stderr is not a terminal",
      isTty: false,
      buckets: ["bucket-a", "bucket-b"],
      stderr: "",
    },
    { name: "writes nothing for a single bucket", isTty: true, buckets: ["bucket-a"], stderr: "" },
  ])("$name", async ({ isTty, buckets, stderr }) => {
    const io = testIo(isTty);

    const audits = await runJobs(planOf(buckets), io);

    expect(io.err).toBe(stderr);
    expect(audits.map((a) => a.bucket)).toEqual(buckets);
  });
});
