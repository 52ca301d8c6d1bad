import { inputError } from "../../errors.js";
import { gcsBindings } from "../../policy/generate/gcs.js";
import { jsonText, renderGcsBindings, renderS3Policy } from "../../policy/generate/formats.js";
import { kmsKeyPolicy, kmsKeyStatements, kmsOwnedSids } from "../../policy/generate/kms.js";
import { s3BucketPolicy, s3OwnedSids, s3PolicyStatements } from "../../policy/generate/s3.js";
import type { MergeResult, PolicyKind } from "../../policy/merge.js";
import { mergePolicy } from "../../policy/merge.js";
import { parsePolicyText } from "../../policy/parse.js";
import type { PolicyDocument, Statement } from "../../policy/types.js";
import { writeFileAtomic } from "../../policy/write.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import type { GcsArgs, KmsArgs, S3Args } from "./policy.js";

/**
 * Handlers of `policy s3|kms|gcs`: options in, text out (stdout or --write), guidance on stderr.
 */

const gcsWarnings = (bucket: string): string[] => [
  "warning: an IAM condition on a GCS bucket requires uniform bucket-level access on that bucket " +
    `(gcloud storage buckets update gs://${bucket} --uniform-bucket-level-access).`,
  "warning: Storage Object Creator can create objects but not overwrite them (that needs " +
    "storage.objects.delete, which Nimble is never given): a fixed object name, such as a test " +
    "object, can be written once only.",
];

/**
 * `policy s3`.
 * @param args - checked flags
 * @param io - where to write
 * @returns the exit code
 */
export async function runS3(args: S3Args, io: CliIo): Promise<number> {
  const options = args;
  const policy =
    args.merge === undefined
      ? s3BucketPolicy(options)
      : await merged(args.merge, s3PolicyStatements(options), s3OwnedSids(args.use), io, {
          kind: "s3-bucket-policy",
        });
  const text = await renderS3Policy(policy, args.format, { bucket: args.bucket, use: args.use });

  if (args.merge === undefined) io.stderr(replaceNote(args));
  if (args.merge !== undefined) {
    const { blockingDenyWarnings } = await import("./policy-warnings.js");
    warnAll(io, blockingDenyWarnings(policy, args));
  }
  return emit(text, args.write, io);
}

/**
 * `policy kms`.
 * @param args - checked flags
 * @param io - where to write
 * @returns the exit code
 */
export async function runKms(args: KmsArgs, io: CliIo): Promise<number> {
  const statements = kmsKeyStatements(args);
  let output: PolicyDocument | Statement;
  if (args.merge !== undefined) {
    output = await merged(args.merge, statements, kmsOwnedSids(args.use), io, {
      kind: "kms-key-policy",
    });
    const { blockingKeyDenyWarnings } = await import("./policy-warnings.js");
    warnAll(io, blockingKeyDenyWarnings(output, args));
  } else if (args.account !== undefined) {
    output = kmsKeyPolicy({ ...args, account: args.account });
    io.stderr(
      "note: a complete key policy; the key's account keeps management but not deletion " +
        "(add kms:ScheduleKeyDeletion with a policy edit when you mean to delete the key).\n",
    );
  } else {
    output = statements[0] as Statement;
    io.stderr(
      "note: add this statement to the Statement list of the bucket's KMS key policy " +
        "(aws kms get-key-policy --key-id KEY --policy-name default --output text), or re-run " +
        "with --merge FILE or --account ID for a complete policy.\n",
    );
  }

  return emit(jsonText(output), args.write, io);
}

/**
 * `policy gcs`.
 * @param args - checked flags
 * @param io - where to write
 * @returns the exit code
 */
export async function runGcs(args: GcsArgs, io: CliIo): Promise<number> {
  const bindings = gcsBindings(args);
  const text = await renderGcsBindings(bindings, args.format, args.bucket);

  if (bindings.some((binding) => binding.condition)) warnAll(io, gcsWarnings(args.bucket));
  return emit(text, args.write, io);
}

async function merged(
  source: string,
  statements: readonly Statement[],
  ownedSids: readonly string[],
  io: CliIo,
  options: { kind: PolicyKind },
): Promise<PolicyDocument> {
  const name = source === "-" ? "stdin" : source;
  const existing = parsePolicyText(await readMergeInput(source, io), name);
  const result = mergePolicy(existing, statements, { kind: options.kind, ownedSids });

  io.stderr(mergeSummary(result));
  return result.policy;
}

async function readMergeInput(source: string, io: CliIo): Promise<string> {
  try {
    return await io.readInput(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw inputError("--merge", `cannot read ${source} (${reason})`);
  }
}

function mergeSummary(result: MergeResult): string {
  const parts = [
    ...result.replaced.map((r) => `replaced Statement[${r.index}] (${r.sid})`),
    ...result.removed.map((r) => `removed Statement[${r.index}] (${r.sid})`),
    ...result.added.map((sid) => `added ${sid}`),
  ];
  return `merge: ${parts.join(", ")}; every other statement is unchanged.\n`;
}

function replaceNote(args: S3Args): string {
  return (
    "note: a complete bucket policy; applying it replaces the bucket's current policy. To keep " +
    `existing statements: aws s3api get-bucket-policy --bucket ${args.bucket} --query Policy ` +
    "--output text | nimble-bucket policy s3 ... --merge -\n"
  );
}

function warnAll(io: CliIo, warnings: readonly string[]): void {
  for (const warning of warnings) io.stderr(`${warning}\n`);
}

async function emit(text: string, write: string | undefined, io: CliIo): Promise<number> {
  if (write === undefined) {
    io.stdout(text);
  } else {
    await writeFileAtomic(write, text);
    io.stderr(`wrote ${write}\n`);
  }

  return EXIT.ok;
}
