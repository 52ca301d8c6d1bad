import { resolveScope } from "../../nimble.js";
import { gcsBindings } from "../../policy/generate/gcs.js";
import { jsonText, renderGcsBindings, renderS3Policy } from "../../policy/generate/formats.js";
import { kmsKeyPolicy, kmsKeyStatements, kmsOwnedSids } from "../../policy/generate/kms.js";
import { s3BucketPolicy, s3OwnedSids, s3PolicyStatements } from "../../policy/generate/s3.js";
import type { DeleteCheckScope } from "../../policy/guard-merged.js";
import type { MergeResult } from "../../policy/merge.js";
import { parsePolicyText } from "../../policy/parse.js";
import type { PolicyDocument, Statement } from "../../policy/types.js";
import { POLICY_VERSION } from "../../policy/types.js";
import { writeFileAtomic } from "../../policy/write.js";
import { readFlagFile } from "../common.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import { sourceName } from "./audit-flags.js";
import type { GcsArgs, KmsArgs, S3Args } from "./policy.js";
import { NOTES } from "./policy-notes.js";

/**
 * Handlers of `policy s3|kms|gcs`: options in, text out (stdout or --write), guidance on stderr.
 * Guidance is printed only once the output is out: a failure prints its error line alone.
 */

/** What a handler prints: the output, then the notes and warnings for stderr. */
interface Output {
  text: string;
  notes: string[];
}

/** A merged policy and the lines that describe it. */
interface Merged {
  policy: PolicyDocument;
  notes: string[];
}

/**
 * `policy s3`.
 * @param args - checked flags
 * @param io - where to write
 * @returns the exit code
 */
export async function runS3(args: S3Args, io: CliIo): Promise<number> {
  const merged = args.merge === undefined ? undefined : await mergeS3(args.merge, args, io);
  const policy = merged?.policy ?? s3BucketPolicy(args);
  const context = { bucket: args.bucket, use: args.use, merged: merged !== undefined };
  const text = await renderS3Policy(policy, args.format, context);
  const notes = [...(merged?.notes ?? [NOTES.replace(args.bucket)]), ...emptyPrefixWarnings(args)];

  return emit({ text, notes }, args.write, io);
}

/**
 * `policy kms`.
 * @param args - checked flags
 * @param io - where to write
 * @returns the exit code
 */
export async function runKms(args: KmsArgs, io: CliIo): Promise<number> {
  const statements = kmsKeyStatements(args);
  if (args.merge !== undefined) {
    const merged = await mergeKms(args.merge, statements, args, io);
    return emit({ text: jsonText(merged.policy), notes: merged.notes }, args.write, io);
  }

  const output: Output =
    args.account === undefined
      ? { text: jsonText(statements[0]), notes: [NOTES.kmsStatementOnly] }
      : {
          text: jsonText(kmsKeyPolicy({ ...args, account: args.account })),
          notes: [NOTES.kmsCompletePolicy],
        };
  return emit(output, args.write, io);
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
  const conditional = bindings.some((binding) => binding.condition);
  const notes = [
    ...(conditional ? [NOTES.gcsUniformAccess(args.bucket)] : []),
    NOTES.gcsNoOverwrite,
    ...emptyPrefixWarnings(args),
  ];

  return emit({ text, notes }, args.write, io);
}

/**
 * A prefix flag given explicitly empty (`--input-prefix=`) is accepted, since an input set at
 * the bucket root is legitimate, but it widens the grant to the whole bucket: say so.
 */
function emptyPrefixWarnings(
  args: Partial<Pick<S3Args, "inputPrefix" | "outputPrefix" | "prefix">>,
): string[] {
  const flags: [string, string | undefined][] = [
    ["--input-prefix", args.inputPrefix],
    ["--output-prefix", args.outputPrefix],
    ["--prefix", args.prefix],
  ];
  return flags.filter(([, value]) => value === "").map(([flag]) => NOTES.emptyPrefix(flag));
}

async function mergeS3(source: string, args: S3Args, io: CliIo): Promise<Merged> {
  const statements = s3PolicyStatements(args);
  const scope: DeleteCheckScope = {
    kind: "s3-bucket-policy",
    principal: resolveScope(args).principal,
    bucket: args.bucket,
  };
  const merged = await mergeInput(source, statements, s3OwnedSids(args.use), scope, io);
  const { blockingDenyWarnings } = await import("./policy-warnings.js");

  return { ...merged, notes: [...merged.notes, ...blockingDenyWarnings(merged.policy, args)] };
}

async function mergeKms(
  source: string,
  statements: readonly Statement[],
  args: KmsArgs,
  io: CliIo,
): Promise<Merged> {
  const scope: DeleteCheckScope = {
    kind: "kms-key-policy",
    principal: resolveScope(args).principal,
  };
  const merged = await mergeInput(source, statements, kmsOwnedSids(args.use), scope, io);
  const { blockingKeyDenyWarnings } = await import("./policy-warnings.js");

  return { ...merged, notes: [...merged.notes, ...blockingKeyDenyWarnings(merged.policy, args)] };
}

/**
 * Reads the existing policy exactly (duplicate keys and numbers JSON.parse would rewrite are
 * refused) and merges; empty input is the bucket without a policy (get-bucket-policy prints
 * nothing then).
 */
async function mergeInput(
  source: string,
  statements: readonly Statement[],
  ownedSids: readonly string[],
  scope: DeleteCheckScope,
  io: CliIo,
): Promise<Merged> {
  const name = sourceName(source);
  const text = await readFlagFile(io, source, "--merge");
  const empty = text.trim() === "";
  const existing: PolicyDocument = empty
    ? { Version: POLICY_VERSION, Statement: [] }
    : parsePolicyText(text, name, { exact: true });
  const { mergePolicy } = await import("../../policy/merge.js");
  const result = mergePolicy(existing, statements, { scope, ownedSids });

  const first = empty ? NOTES.emptyMerge(name, scope.kind) : mergeSummary(result);
  return { policy: result.policy, notes: [first] };
}

function mergeSummary(result: MergeResult): string {
  const parts = [
    ...result.replaced.map((r) => `replaced Statement[${r.index}] (${r.sid})`),
    ...result.removed.map((r) => `removed Statement[${r.index}] (${r.sid})`),
    ...result.added.map((sid) => `added ${sid}`),
  ];
  return `merge: ${parts.join(", ")}; every other statement is unchanged.`;
}

/** Prints or writes the output; only then the notes (a failure shows its error line alone). */
async function emit(output: Output, write: string | undefined, io: CliIo): Promise<number> {
  if (write === undefined) io.stdout(output.text);
  else await writeFileAtomic(write, output.text);

  for (const note of output.notes) io.stderr(`${note}\n`);
  if (write !== undefined) io.stderr(`wrote ${write}\n`);
  return EXIT.ok;
}
