import type { Argv } from "yargs";
import type { S3AuditInput } from "../../audit/audit-s3.js";
import type { LiveS3Options, LiveS3Target } from "../../audit/live-s3.js";
import { checkOwnership, parseEncryptionText, parseKeyMetadataText } from "../../audit/inputs.js";
import { findCheck, S3_CHECKS } from "../../audit/registry.js";
import type { BucketAudit, CheckInfo, Severity } from "../../audit/types.js";
import { inputError, NimbleError } from "../../errors.js";
import type { Use } from "../../nimble.js";
import { checkAwsPrincipal, checkS3BucketName, normalizePrefix } from "../../policy/names.js";
import { parsePolicyText } from "../../policy/parse.js";
import type { Target } from "../../probe/target.js";
import { parseTarget } from "../../probe/target.js";
import type { AuditFormat } from "../../report/audit-report.js";
import { AUDIT_FORMATS } from "../../report/audit-report.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import type { Command } from "../main.js";

/**
 * `nimble-bucket audit`: audits bucket and key policies for Nimble, from files or live. Parses
 * flags into one plan (argv in, plan out), runs the audits, prints one report, returns 0, 1, 2.
 */

const USES: readonly Use[] = ["jobs", "delivery"];
const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];
const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** One bucket to audit, and how its inputs are obtained. */
export type AuditJob =
  | { kind: "s3-offline"; input: S3AuditInput }
  | { kind: "s3-live"; target: LiveS3Target }
  | {
      kind: "gcs-offline";
      bucket: string;
      prefix: string;
      iamPolicy: unknown;
      metadata?: unknown;
      member?: string;
      source: string;
    }
  | { kind: "gcs-live"; target: Target; member?: string };

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

const audit: Command = {
  command: "audit [target]",
  describe: "Audit a bucket's policies for Nimble, operation by operation",
  builder: (yargs: Argv) =>
    yargs
      .positional("target", {
        type: "string",
        describe: "s3://BUCKET/ or gs://BUCKET/ to read live",
      })
      .option("for", {
        choices: USES,
        default: "jobs",
        describe: "Which Nimble identity to audit for",
      })
      .option("bucket", { type: "string", describe: "Bucket name (offline audit)" })
      .option("input-prefix", { type: "string", describe: "Jobs input prefix [default: input/]" })
      .option("output-prefix", {
        type: "string",
        describe: "Jobs output prefix [default: output/]",
      })
      .option("prefix", { type: "string", describe: "Delivery prefix (storage_url path)" })
      .option("principal", { type: "string", describe: "Audit for another AWS principal ARN" })
      .option("policy", { type: "string", describe: "Bucket policy JSON file (offline)" })
      .option("key-policy", { type: "string", describe: "KMS key policy JSON file" })
      .option("key-metadata", { type: "string", describe: "KMS DescribeKey output JSON file" })
      .option("encryption", { type: "string", describe: "GetBucketEncryption output JSON file" })
      .option("ownership", { type: "string", describe: "Object Ownership setting" })
      .option("object-lock", { type: "boolean", describe: "The bucket has Object Lock enabled" })
      .option("requester-pays", { type: "boolean", describe: "The bucket has Requester Pays on" })
      .option("iam-policy", { type: "string", describe: "GCS bucket IAM policy JSON file" })
      .option("bucket-metadata", { type: "string", describe: "GCS bucket metadata JSON file" })
      .option("member", { type: "string", describe: "Audit for another GCS member" })
      .option("config", {
        type: "string",
        describe: "YAML or JSON file listing connections (live)",
      })
      .option("concurrency", { type: "number", default: 4, describe: "Buckets audited at once" })
      .option("format", { choices: AUDIT_FORMATS, default: "text", describe: "Report format" })
      .option("fail-on", {
        choices: SEVERITIES,
        default: "error",
        describe: "Lowest failing severity",
      })
      .option("explain", { type: "string", describe: "Print a check's explanation and exit" })
      .option("confirm-with-aws", {
        type: "boolean",
        describe: "Also ask IAM SimulateCustomPolicy",
      })
      .option("bucket-owner", {
        type: "string",
        describe: "Bucket owner account id (for --confirm-with-aws)",
      })
      .option("endpoint", { type: "string", describe: "S3-compatible endpoint URL" })
      .option("path-style", { type: "boolean", describe: "Path-style S3 addressing" })
      .option("region", {
        type: "string",
        describe: "S3 region [default: AWS chain, else us-east-1]",
      })
      .option("gcs-endpoint", { type: "string", describe: "GCS endpoint URL (emulators)" })
      .example(
        "$0 audit --bucket example-bucket --policy examples/s3/jobs-good.bucket-policy.json",
        "Audit a Jobs bucket policy offline",
      )
      .example("$0 audit s3://example-bucket/ --format sarif", "Read the policies live, for CI")
      .example("$0 audit --explain S3-LIST-ON-OBJECT-ARN", "Explain a check"),
  run: runAuditCommand,
};

/** The `audit` commands. */
export const commands: Command[] = [audit];

/**
 * Runs the audit command.
 * @param args - yargs arguments
 * @param io - where to write
 * @returns 0 when Nimble can do everything and nothing reaches --fail-on, else 1 (usage: throws)
 */
export async function runAuditCommand(args: Record<string, unknown>, io: CliIo): Promise<number> {
  const checks = await allChecks();
  if (typeof args.explain === "string") return explain(args.explain, checks, io);

  const plan = await planAudit(args, io);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const audits = await runJobs(plan, io);
  const { renderAuditReport } = await import("../../report/audit-report.js");
  const report = await renderAuditReport(audits, plan.format, {
    rules: checks,
    files: plan.files,
    failOn: plan.failOn,
    env: io.env,
  });
  io.stdout(report);
  return audits.every((a) => passes(a, plan.failOn)) ? EXIT.ok : EXIT.failed;
}

/**
 * True when Nimble can do everything it needs and no finding reaches the threshold.
 * @param audit - one bucket's audit
 * @param failOn - the lowest failing severity
 */
export function passes(audit: BucketAudit, failOn: Severity): boolean {
  return (
    audit.operations.length > 0 &&
    audit.operations.every((op) => op.decision === "allowed") &&
    audit.findings.every((f) => RANK[f.severity] < RANK[failOn])
  );
}

function explain(id: string, checks: readonly CheckInfo[], io: CliIo): number {
  const check = findCheck(id, checks);
  if (!check) throw inputError("--explain", `no check has the id "${id.slice(0, 80)}"`);

  const see = check.see ? `\nSee ${check.see}` : "";
  io.stdout(`${check.id} (${check.severity}): ${check.title}\n\n${check.explanation}${see}\n`);
  return EXIT.ok;
}

/** S3 and GCS checks; the GCS table is loaded lazily. */
export async function allChecks(): Promise<CheckInfo[]> {
  const { GCS_CHECKS } = await import("../../gcs/checks.js");
  return [...S3_CHECKS, ...GCS_CHECKS];
}

/**
 * Turns parsed flags (and the files they name) into a plan. Argv in, plan out.
 * @param args - yargs arguments
 * @param io - reads files
 * @returns the audits to run and how
 * @throws NimbleError E_USAGE, E_INPUT or E_JSON naming the flag
 */
export async function planAudit(args: Record<string, unknown>, io: CliIo): Promise<AuditPlan> {
  const files = new Map<string, string>();
  const readFile = async (flag: string): Promise<string | undefined> => {
    const path = args[flag];
    if (path === undefined) return undefined;
    if (typeof path !== "string" || path === "") throw inputError(`--${flag}`, "needs a file name");
    const text = await io.readInput(path).catch(() => {
      throw inputError(`--${flag}`, `cannot read ${path}`);
    });
    files.set(sourceName(path), text);
    return text;
  };

  const jobs = await planJobs(args, io, readFile);
  return {
    jobs,
    format: args.format as AuditFormat,
    failOn: args["fail-on"] as Severity,
    confirmWithAws: args["confirm-with-aws"] === true,
    ...bucketOwner(args["bucket-owner"]),
    concurrency: positiveInteger(args.concurrency, "--concurrency"),
    live: {
      endpoint: optionalString(args.endpoint),
      pathStyle: args["path-style"] === true,
      region: optionalString(args.region),
      gcsEndpoint: optionalString(args["gcs-endpoint"]),
    },
    files,
  };
}

type ReadFlagFile = (flag: string) => Promise<string | undefined>;

async function planJobs(
  args: Record<string, unknown>,
  io: CliIo,
  readFile: ReadFlagFile,
): Promise<AuditJob[]> {
  if (typeof args.config === "string") return configJobs(args, io);
  if (typeof args.target === "string") return [liveJob(args, parseTarget(args.target, "target"))];
  if (args["iam-policy"] !== undefined) return [await gcsOfflineJob(args, readFile)];
  return [await s3OfflineJob(args, readFile)];
}

function useOf(args: Record<string, unknown>): Use {
  return args.for === "delivery" ? "delivery" : "jobs";
}

function prefixes(args: Record<string, unknown>, use: Use, urlPrefix = "") {
  const prefix = (flag: string) =>
    typeof args[flag] === "string" ? normalizePrefix(args[flag], `--${flag}`) : undefined;
  if (use === "delivery") {
    if (args["input-prefix"] !== undefined || args["output-prefix"] !== undefined)
      throw inputError(
        "--input-prefix",
        "Jobs prefixes do not apply to --for delivery; use --prefix",
      );
    return { prefix: prefix("prefix") ?? urlPrefix };
  }
  if (args.prefix !== undefined)
    throw inputError(
      "--prefix",
      "--prefix is for --for delivery; Jobs use --input-prefix and --output-prefix",
    );
  return { inputPrefix: prefix("input-prefix"), outputPrefix: prefix("output-prefix") };
}

function principal(args: Record<string, unknown>): { principal?: string } {
  return typeof args.principal === "string" ? { principal: checkAwsPrincipal(args.principal) } : {};
}

async function s3OfflineJob(
  args: Record<string, unknown>,
  readFile: ReadFlagFile,
): Promise<AuditJob> {
  if (typeof args.bucket !== "string")
    throw new NimbleError(
      "E_USAGE",
      "--bucket: name the bucket (or give s3://BUCKET/ to read it live)",
      "--bucket",
    );
  const bucket = checkS3BucketName(args.bucket, "--bucket");
  const use = useOf(args);
  const policyText = await readFile("policy");
  if (policyText === undefined)
    throw new NimbleError(
      "E_USAGE",
      "--policy: give the bucket policy file to audit offline",
      "--policy",
    );

  const input: S3AuditInput = {
    use,
    bucket,
    ...prefixes(args, use),
    ...principal(args),
    bucketPolicy: sourced(policyText, args.policy as string, "--policy"),
  };
  const keyPolicy = await readFile("key-policy");
  if (keyPolicy !== undefined)
    input.keyPolicy = sourced(keyPolicy, args["key-policy"] as string, "--key-policy");
  const encryption = await readFile("encryption");
  if (encryption !== undefined)
    input.encryption = withFlag("--encryption", () =>
      parseEncryptionText(encryption, args.encryption as string),
    );
  const metadata = await readFile("key-metadata");
  if (metadata !== undefined)
    input.keyMetadata = withFlag("--key-metadata", () =>
      parseKeyMetadataText(metadata, args["key-metadata"] as string),
    );
  if (typeof args.ownership === "string")
    input.ownership = await ownershipOf(args.ownership, readFile);
  if (args["object-lock"] === true) input.objectLockEnabled = true;
  if (args["requester-pays"] === true) input.requesterPays = true;
  return { kind: "s3-offline", input };
}

/** `--ownership VALUE`, or a file of GetBucketOwnershipControls output when it ends in .json. */
async function ownershipOf(value: string, readFile: ReadFlagFile): Promise<string> {
  if (!value.endsWith(".json")) return checkOwnership(value);

  const json = jsonOf(await readFile("ownership"), "--ownership") as {
    OwnershipControls?: { Rules?: { ObjectOwnership?: unknown }[] };
  } | null;
  const rule = json?.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
  return checkOwnership(
    typeof rule === "string" ? rule : "",
    "--ownership OwnershipControls.Rules[0].ObjectOwnership",
  );
}

function sourced(text: string, path: string, flag: string) {
  const source = sourceName(path);
  return { document: withFlag(flag, () => parsePolicyText(text, source)), source };
}

/** The name findings use for a file: its path, or `stdin` for "-". */
function sourceName(path: string): string {
  return path === "-" ? "stdin" : path;
}

/** Runs a parser and puts the flag in front of its error, so the message names the flag. */
function withFlag<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof NimbleError && !error.message.startsWith(flag))
      throw new NimbleError(error.code, `${flag} ${error.message}`, flag);
    throw error;
  }
}

async function gcsOfflineJob(
  args: Record<string, unknown>,
  readFile: ReadFlagFile,
): Promise<AuditJob> {
  if (typeof args.bucket !== "string")
    throw new NimbleError(
      "E_USAGE",
      "--bucket: name the GCS bucket whose --iam-policy this is",
      "--bucket",
    );
  const { checkGcsBucketName } = await import("../../policy/names.js");
  const bucket = checkGcsBucketName(args.bucket, "--bucket");
  const source = args["iam-policy"] as string;
  const iamPolicy = jsonOf(await readFile("iam-policy"), "--iam-policy");
  const metadataText = await readFile("bucket-metadata");
  return {
    kind: "gcs-offline",
    bucket,
    prefix: typeof args.prefix === "string" ? normalizePrefix(args.prefix, "--prefix") : "",
    iamPolicy,
    ...(metadataText === undefined ? {} : { metadata: jsonOf(metadataText, "--bucket-metadata") }),
    ...(typeof args.member === "string" ? { member: args.member } : {}),
    source,
  };
}

function jsonOf(text: string | undefined, flag: string): unknown {
  try {
    return JSON.parse(text ?? "") as unknown;
  } catch {
    throw new NimbleError("E_JSON", `${flag}: not valid JSON`, flag);
  }
}

function liveJob(args: Record<string, unknown>, target: Target): AuditJob {
  if (target.provider === "gcs")
    return {
      kind: "gcs-live",
      target,
      ...(typeof args.member === "string" ? { member: args.member } : {}),
    };

  const use = useOf(args);
  return {
    kind: "s3-live",
    target: {
      use,
      bucket: target.bucket,
      ...prefixes(args, use, target.prefix),
      ...principal(args),
    },
  };
}

async function configJobs(args: Record<string, unknown>, io: CliIo): Promise<AuditJob[]> {
  const file = args.config as string;
  const text = await io.readInput(file).catch(() => {
    throw inputError("--config", `cannot read ${file}`);
  });
  const { parseConnections } = await import("../../probe/config.js");
  return parseConnections(text, file).flatMap((connection): AuditJob[] => {
    const write = connection.write;
    const read = connection.read;
    const main = write ?? read!;
    if (main.provider === "gcs") return [{ kind: "gcs-live", target: main }];
    const target = (t: Target, input?: string, output?: string): AuditJob => ({
      kind: "s3-live",
      target:
        connection.for === "delivery"
          ? { use: "delivery", bucket: t.bucket, prefix: t.prefix }
          : {
              use: "jobs",
              bucket: t.bucket,
              ...(input !== undefined ? { inputPrefix: input } : {}),
              ...(output !== undefined ? { outputPrefix: output } : {}),
            },
    });
    if (read && write && read.bucket !== write.bucket)
      return [target(read, read.prefix, undefined), target(write, undefined, write.prefix)];
    return [target(main, read?.prefix, write?.prefix)];
  });
}

async function runJobs(plan: AuditPlan, io: CliIo): Promise<BucketAudit[]> {
  const results: BucketAudit[] = new Array<BucketAudit>(plan.jobs.length);
  let next = 0;
  let done = 0;
  const progress = (label: string) => {
    if (io.isTty && plan.jobs.length > 1)
      io.stderr(`\r\x1b[2K[${done}/${plan.jobs.length}] ${label}`);
  };
  const worker = async () => {
    while (next < plan.jobs.length) {
      const index = next++;
      const job = plan.jobs[index]!;
      progress(`auditing ${jobLabel(job)}`);
      results[index] = await runJob(job, plan);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.jobs.length) }, worker));
  if (io.isTty && plan.jobs.length > 1) io.stderr("\r\x1b[2K");
  return results;
}

function jobLabel(job: AuditJob): string {
  if (job.kind === "s3-offline") return `s3://${job.input.bucket}`;
  if (job.kind === "s3-live") return `s3://${job.target.bucket}`;
  if (job.kind === "gcs-offline") return `gs://${job.bucket}`;
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
  return {
    ...result,
    findings: [
      ...result.findings,
      ...(await confirmWithAws(input, { bucketOwner: plan.bucketOwner })),
    ],
  };
}

async function runGcsJob(
  job: Extract<AuditJob, { kind: "gcs-offline" | "gcs-live" }>,
  plan: AuditPlan,
): Promise<BucketAudit> {
  const gcs = await import("../../gcs/audit.js");
  if (job.kind === "gcs-offline") {
    const { bucket, prefix, iamPolicy, metadata, member, source } = job;
    return gcs.auditGcs({ bucket, prefix, iamPolicy, metadata, member, source });
  }
  const input = await gcs.readGcsAuditInput(job.target, {
    ...(plan.live.gcsEndpoint ? { endpoint: plan.live.gcsEndpoint } : {}),
    ...(job.member ? { member: job.member } : {}),
  });
  return gcs.auditGcs(input);
}

function bucketOwner(value: unknown): { bucketOwner?: string } {
  if (value === undefined) return {};
  if (typeof value !== "string" || !/^\d{12}$/.test(value))
    throw inputError("--bucket-owner", "must be a 12-digit AWS account id");
  return { bucketOwner: value };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function positiveInteger(value: unknown, flag: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    throw inputError(flag, "must be a whole number of at least 1");
  return value;
}
