import type { S3AuditInput } from "../../audit/audit-s3.js";
import type { LiveS3Options, LiveS3Target } from "../../audit/live-s3.js";
import type { Severity } from "../../audit/types.js";
import type { ParsedGcsAuditInput } from "../../gcs/audit.js";
import { inputError } from "../../errors.js";
import type { Target } from "../../probe/target.js";
import { parseTarget } from "../../probe/target.js";
import type { AuditFormat } from "../../report/audit-report.js";
import { positiveInteger, readEndpoints } from "../common.js";
import type { CliIo } from "../io.js";
import type { ReadFlagFile } from "./audit-flags.js";
import {
  GCS_OFFLINE_FLAGS,
  givenFlags,
  OFFLINE_FLAGS,
  refuseOtherProviderFlags,
  refuseWithConfig,
  sourceName,
} from "./audit-flags.js";
import { configJobs, liveJob } from "./audit-live.js";
import { gcsOfflineJob, s3OfflineJob } from "./audit-offline.js";

/**
 * `audit` flags → one plan: which buckets, from files or live, and how to report. Argv in, plan
 * out; nothing is read from the network here.
 */

/** One bucket to audit, and how its inputs are obtained; `name` is a `--config` connection's. */
export type AuditJob = { name?: string } & (
  | { kind: "s3-offline"; input: S3AuditInput }
  | { kind: "s3-live"; target: LiveS3Target }
  | { kind: "gcs-offline"; input: ParsedGcsAuditInput }
  | { kind: "gcs-live"; target: Target; member?: string }
);

/** Everything the command will do. */
export interface AuditPlan {
  jobs: AuditJob[];
  format: AuditFormat;
  failOn: Severity;
  confirmWithAws: boolean;
  /** Bucket owner account for --confirm-with-aws */
  bucketOwner?: string;
  concurrency: number;
  live: LiveS3Options & { gcsEndpoint?: string };
  /** Original text of files read, by source name (for SARIF regions) */
  files: Map<string, string>;
}

/**
 * Turns parsed flags (and the files they name) into a plan. Argv in, plan out.
 * @param args - parsed flags, from yargs or the fast path
 * @param io - reads files
 * @returns the audits to run and how
 * @throws NimbleError E_USAGE, E_INPUT or E_JSON naming the flag
 */
export async function planAudit(args: Record<string, unknown>, io: CliIo): Promise<AuditPlan> {
  const files = new Map<string, string>();
  const jobs = await planJobs(args, io, flagFileReader(args, io, files));

  return {
    jobs,
    format: args.format as AuditFormat,
    failOn: args["fail-on"] as Severity,
    confirmWithAws: args["confirm-with-aws"] === true,
    ...bucketOwner(args["bucket-owner"]),
    concurrency: positiveInteger(args.concurrency, "--concurrency"),
    live: readEndpoints(args),
    files,
  };
}

function flagFileReader(
  args: Record<string, unknown>,
  io: CliIo,
  files: Map<string, string>,
): ReadFlagFile {
  return async (flag) => {
    const path = args[flag];
    if (path === undefined) return undefined;
    if (typeof path !== "string" || path === "") throw inputError(`--${flag}`, "needs a file name");

    const text = await io.readInput(path).catch(() => {
      throw inputError(`--${flag}`, `cannot read ${path}`);
    });
    files.set(sourceName(path), text);
    return text;
  };
}

/**
 * The one rule of what is read live: `--config` audits its connections live and takes no
 * offline input; a target URL with any offline input (`--policy`, `--iam-policy`, ...) is an
 * offline audit of the bucket and prefix the URL names; a target URL alone is read live.
 */
async function planJobs(
  args: Record<string, unknown>,
  io: CliIo,
  readFile: ReadFlagFile,
): Promise<AuditJob[]> {
  if (typeof args.config === "string") {
    refuseWithConfig(args);
    return configJobs(args.config, io);
  }
  const target = typeof args.target === "string" ? parseTarget(args.target, "target") : undefined;
  const provider = target?.provider ?? (givenFlags(args, GCS_OFFLINE_FLAGS).length ? "gcs" : "s3");
  refuseOtherProviderFlags(args, provider);

  if (target && givenFlags(args, OFFLINE_FLAGS).length === 0) return [liveJob(args, target)];
  const job = provider === "gcs" ? gcsOfflineJob : s3OfflineJob;
  return [await job(args, readFile, target)];
}

function bucketOwner(value: unknown): { bucketOwner?: string } {
  if (value === undefined) return {};
  if (typeof value !== "string" || !/^\d{12}$/.test(value))
    throw inputError("--bucket-owner", "must be a 12-digit AWS account id");
  return { bucketOwner: value };
}
