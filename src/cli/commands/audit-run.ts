import type { BucketAudit, Severity } from "../../audit/types.js";
import { mapConcurrent } from "../../concurrency.js";
import { isOperationFailing, reachesFailOn } from "../../audit/verdict.js";
import type { CliIo } from "../io.js";
import type { AuditJob, AuditPlan } from "./audit-plan.js";

/**
 * Runs a plan's jobs, a bounded number at a time, each through the S3 or GCS library. The SDKs
 * are imported on first use, so an offline S3 audit never loads them.
 */

const CLEAR_LINE = "\r\x1b[2K";

type GcsJob = Extract<AuditJob, { kind: "gcs-offline" | "gcs-live" }>;

/**
 * Runs every job of the plan, at most `plan.concurrency` at once. With more than one job and a
 * terminal, a progress line on stderr says how many are done; it is cleared at the end.
 * @param plan - the jobs and how to run them
 * @param io - stderr and whether it is a terminal
 * @returns one audit per job, in the plan's order
 */
export async function runJobs(plan: AuditPlan, io: CliIo): Promise<BucketAudit[]> {
  const showProgress = io.isTty && plan.jobs.length > 1;
  const progress = (job: AuditJob, _index: number, done: number) =>
    io.stderr(`${CLEAR_LINE}[${done}/${plan.jobs.length}] auditing ${label(job)}`);

  const results = await mapConcurrent(
    plan.jobs,
    plan.concurrency,
    async (job) => named(await runJob(job, plan), job.name),
    showProgress ? progress : undefined,
  );
  if (showProgress) io.stderr(CLEAR_LINE);
  return results;
}

/**
 * True when Nimble can do everything it needs and no finding reaches the threshold.
 * @param audit - one bucket's audit
 * @param failOn - the lowest failing severity
 */
export function passes(audit: BucketAudit, failOn: Severity): boolean {
  return (
    audit.operations.length > 0 &&
    !audit.operations.some(isOperationFailing) &&
    !audit.findings.some((f) => reachesFailOn(f.severity, failOn))
  );
}

function named(audit: BucketAudit, name: string | undefined): BucketAudit {
  return name === undefined ? audit : { ...audit, name };
}

function label(job: AuditJob): string {
  if (job.kind === "s3-offline") return `s3://${job.input.bucket}`;
  if (job.kind === "s3-live") return `s3://${job.target.bucket}`;
  if (job.kind === "gcs-offline") return `gs://${job.input.bucket}`;
  return job.target.url;
}

async function runJob(job: AuditJob, plan: AuditPlan): Promise<BucketAudit> {
  if (job.kind === "gcs-offline" || job.kind === "gcs-live") return runGcsJob(job, plan);

  const { auditS3 } = await import("../../audit/audit-s3.js");
  const input =
    job.kind === "s3-offline"
      ? job.input
      : await (await import("../../audit/live-s3.js")).readS3AuditInput(job.target, plan.live);
  const result = auditS3(input);
  if (!plan.confirmWithAws) return result;

  const { confirmWithAws } = await import("../../audit/confirm-aws.js");
  const disagreements = await confirmWithAws(input, { bucketOwner: plan.bucketOwner });
  return { ...result, findings: [...result.findings, ...disagreements] };
}

async function runGcsJob(job: GcsJob, plan: AuditPlan): Promise<BucketAudit> {
  const gcs = await import("../../gcs/audit.js");
  if (job.kind === "gcs-offline") return gcs.auditParsedGcs(job.input);

  const input = await gcs.readGcsAuditInput(job.target, {
    ...(plan.live.gcsEndpoint && { endpoint: plan.live.gcsEndpoint }),
    ...(job.member && { member: job.member }),
  });
  return gcs.auditGcs(input);
}
