import type { Argv } from "yargs";
import type { Severity } from "../../audit/types.js";
import { AUDIT_FORMATS } from "../../report/audit-report.js";
import { ENDPOINT_OPTIONS, silenceSdkNodeVersionWarning, USES } from "../common.js";
import type { OptionTable } from "../fast-args.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import type { Command } from "../main.js";
import { allChecks, explainText } from "./audit-explain.js";
import { planAudit } from "./audit-plan.js";
import { passes, runJobs } from "./audit-run.js";

/**
 * `nimble-bucket audit`: audits bucket and key policies for Nimble, from files or live. A thin
 * handler: flags → plan (audit-plan.ts), jobs → audits (audit-run.ts), audits → one report.
 */

const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** The flags of `audit` as data (the `[target]` positional is declared in the builder). */
export const AUDIT_OPTIONS: OptionTable = {
  for: { choices: USES, default: "jobs", describe: "Which Nimble identity to audit for" },
  bucket: { type: "string", describe: "Bucket name (offline audit)" },
  "input-prefix": { type: "string", describe: "Jobs input prefix [default: input/]" },
  "output-prefix": { type: "string", describe: "Jobs output prefix [default: output/]" },
  prefix: { type: "string", describe: "Delivery prefix (storage_url path)" },
  principal: { type: "string", describe: "Audit for another AWS principal ARN" },
  policy: { type: "string", describe: "Bucket policy JSON file (offline)" },
  "key-policy": { type: "string", describe: "KMS key policy JSON file" },
  "key-metadata": { type: "string", describe: "KMS DescribeKey output JSON file" },
  encryption: { type: "string", describe: "GetBucketEncryption output JSON file" },
  ownership: { type: "string", describe: "Object Ownership setting" },
  "object-lock": { type: "boolean", describe: "The bucket has Object Lock enabled" },
  "requester-pays": { type: "boolean", describe: "The bucket has Requester Pays on" },
  "iam-policy": { type: "string", describe: "GCS bucket IAM policy JSON file" },
  "bucket-metadata": { type: "string", describe: "GCS bucket metadata JSON file" },
  member: { type: "string", describe: "Audit for another GCS member" },
  config: {
    type: "string",
    describe: "YAML or JSON file listing connections (live; no offline files)",
  },
  concurrency: { type: "number", default: 4, describe: "Buckets audited at once" },
  format: { choices: AUDIT_FORMATS, default: "text", describe: "Report format" },
  "fail-on": { choices: SEVERITIES, default: "error", describe: "Lowest failing severity" },
  explain: { type: "string", describe: "Print a check's explanation and exit" },
  "confirm-with-aws": { type: "boolean", describe: "Also ask IAM SimulateCustomPolicy" },
  "bucket-owner": { type: "string", describe: "Bucket owner account id (--confirm-with-aws)" },
  ...ENDPOINT_OPTIONS,
};

/** `audit --help`'s examples; the offline ones run as they are from the repository root. */
export const AUDIT_EXAMPLES: readonly { command: string; describe: string; offline: boolean }[] = [
  {
    command: "--bucket acme-data-exchange --policy examples/s3/jobs-good.bucket-policy.json",
    describe: "Audit a Jobs bucket policy offline",
    offline: true,
  },
  {
    command:
      "--for delivery gs://acme-data-exchange/results/ " +
      "--iam-policy examples/gcs/delivery-good.iam-policy.json",
    describe: "Audit a GCS bucket's IAM policy offline (nothing is read live)",
    offline: true,
  },
  {
    command: "s3://example-bucket/ --format sarif",
    describe: "Read the policies live, for CI",
    offline: false,
  },
  { command: "--explain S3-LIST-ON-OBJECT-ARN", describe: "Explain a check", offline: true },
];

/**
 * An example as `audit --help` shows it: the command and a shell comment on one line, so the
 * whole line can be copied and run.
 * @param example - one of {@link AUDIT_EXAMPLES}
 * @returns e.g. `$0 audit --explain S3-LIST-ON-OBJECT-ARN  # Explain a check`
 */
export function exampleLine(example: { command: string; describe: string }): string {
  return `$0 audit ${example.command}  # ${example.describe}`;
}

const audit: Command = {
  command: "audit [target]",
  describe: "Audit a bucket's policies for Nimble, operation by operation",
  options: AUDIT_OPTIONS,
  builder: (yargs: Argv) => {
    const built = yargs
      .positional("target", {
        type: "string",
        describe:
          "s3://BUCKET/PREFIX/ or gs://BUCKET/PREFIX/: read live, or, with offline files " +
          "(--policy, --iam-policy, ...), the bucket and prefix they belong to",
      })
      .options(AUDIT_OPTIONS);
    // One column, and no wrapping: yargs breaks a long line into several, and a copied
    // half-command fails. A terminal's own soft wrap keeps the line whole when copied.
    return AUDIT_EXAMPLES.reduce((y, example) => y.example(exampleLine(example), ""), built).wrap(
      null,
    );
  },
  run: runAuditCommand,
};

/** The `audit` commands. */
export const commands: Command[] = [audit];

/**
 * Runs the audit command: plans, audits, prints one report.
 * @param args - parsed flags (yargs or the fast path)
 * @param io - where to write
 * @returns 0 when Nimble can do everything and nothing reaches --fail-on, else 1 (usage: throws)
 */
export async function runAuditCommand(args: Record<string, unknown>, io: CliIo): Promise<number> {
  const rules = await allChecks();
  if (typeof args.explain === "string") return print(io, explainText(args.explain, rules));

  const plan = await planAudit(args, io);
  silenceSdkNodeVersionWarning();
  const audits = await runJobs(plan, io);
  const { renderAuditReport } = await import("../../report/audit-report.js");
  const options = { rules, files: plan.files, failOn: plan.failOn, env: io.env };

  io.stdout(await renderAuditReport(audits, plan.format, options));
  return audits.every((a) => passes(a, plan.failOn)) ? EXIT.ok : EXIT.failed;
}

function print(io: CliIo, text: string): number {
  io.stdout(text);
  return EXIT.ok;
}
