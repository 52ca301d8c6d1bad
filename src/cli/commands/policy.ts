import type { Argv, Options } from "yargs";
import { inputError } from "../../errors.js";
import type { NimbleScope, Use } from "../../nimble.js";
import type { GcsFormat, S3Format } from "../../policy/generate/formats.js";
import { GCS_FORMATS, S3_FORMATS } from "../../policy/generate/formats.js";
import type { KmsKeyManager } from "../../policy/generate/kms.js";
import { USES, useOf } from "../common.js";
import { EXIT } from "../io.js";
import type { OptionTable } from "../fast-args.js";
import { requireValues } from "../fast-args.js";
import type { Command } from "../main.js";
import type { PolicyExample } from "./policy-examples.js";
import {
  GCS_EXAMPLES,
  KMS_EXAMPLES,
  POLICY_EXAMPLES,
  S3_EXAMPLES,
  exampleLine,
} from "./policy-examples.js";
import { runGcs, runKms, runS3 } from "./policy-run.js";

/**
 * `nimble-bucket policy s3|kms|gcs`: thin handlers that parse flags into one options object,
 * call the generators, and print (or atomically write) the result. Guidance goes to stderr.
 */

const MERGE_HINT = "Read the current policy (FILE, or - for stdin) and add Nimble's statements";

const WRITE: Options = { type: "string", describe: "Write to FILE atomically, not to stdout" };
const MERGE: Options = { type: "string", describe: MERGE_HINT };
const FOR: Options = { choices: USES, default: "jobs", describe: "What Nimble does" };
const PRINCIPAL: Options = { type: "string", describe: "Override Nimble's IAM user ARN" };

export const S3_OPTIONS: OptionTable = requireValues({
  for: FOR,
  bucket: { type: "string", demandOption: true, describe: "S3 bucket name" },
  "input-prefix": { type: "string", describe: "Jobs input prefix [default: input/]" },
  "output-prefix": { type: "string", describe: "Jobs output prefix [default: output/]" },
  prefix: { type: "string", describe: "Delivery storage_url prefix [default: all]" },
  principal: PRINCIPAL,
  documented: {
    type: "boolean",
    describe: "Delivery: Nimble's documented template, to the letter (wider)",
  },
  format: { choices: S3_FORMATS, default: "json", describe: "Output format" },
  merge: MERGE,
  write: WRITE,
});

export const KMS_OPTIONS: OptionTable = requireValues({
  for: FOR,
  principal: PRINCIPAL,
  region: { type: "string", describe: "Allow use only through S3 in this region" },
  account: { type: "string", describe: "The key's account id: print a complete key policy" },
  key: {
    type: "string",
    describe: "The bucket's key: key ARN (needed to check a merge for Denies), id or alias",
  },
  "key-manager": { choices: ["CUSTOMER", "AWS"], describe: "KeyManager from aws kms describe-key" },
  format: { choices: ["json"], default: "json", describe: "Output format" },
  merge: MERGE,
  write: WRITE,
});

export const GCS_OPTIONS: OptionTable = requireValues({
  bucket: { type: "string", demandOption: true, describe: "GCS bucket name" },
  prefix: { type: "string", describe: "Limit delivery to this object prefix" },
  member: { type: "string", describe: "Override Nimble's service account member" },
  format: { choices: GCS_FORMATS, default: "json", describe: "Output format" },
  write: WRITE,
});

const s3: Command = {
  command: "s3",
  describe: "Bucket policy statements for Nimble's Jobs or Async API delivery",
  options: S3_OPTIONS,
  builder: (yargs) => withExamples(yargs.options(S3_OPTIONS), S3_EXAMPLES),
  run: (args, io) => runS3(readS3Args(args), io),
};

const kms: Command = {
  command: "kms",
  describe: "Key policy statement for a bucket encrypted with a customer managed KMS key",
  options: KMS_OPTIONS,
  builder: (yargs) => withExamples(yargs.options(KMS_OPTIONS), KMS_EXAMPLES),
  run: (args, io) => runKms(readKmsArgs(args), io),
};

const gcs: Command = {
  command: "gcs",
  describe: "IAM binding for Nimble's delivery to a Google Cloud Storage bucket",
  options: GCS_OPTIONS,
  builder: (yargs) => withExamples(yargs.options(GCS_OPTIONS), GCS_EXAMPLES),
  run: (args, io) => runGcs(readGcsArgs(args), io),
};

/** Adds each example as one line (no second column, which yargs would wrap). */
function withExamples(yargs: Argv, examples: readonly PolicyExample[]): Argv {
  return examples.reduce((y, example) => y.example(exampleLine(example), ""), yargs);
}

/** The `policy` commands. */
export const commands: Command[] = [
  {
    command: "policy",
    describe: "Generate the grants Nimble needs on a bucket (S3, KMS key, GCS)",
    builder: (yargs) =>
      withExamples(yargs.demandCommand(1, "Name a provider: s3, kms or gcs."), POLICY_EXAMPLES),
    run: () => Promise.resolve(EXIT.usage),
    subcommands: [s3, kms, gcs],
  },
];

/** `policy s3` flags as one options object. */
export interface S3Args extends NimbleScope {
  documented: boolean;
  format: S3Format;
  merge?: string;
  write?: string;
}

/** `policy kms` flags as one options object. */
export interface KmsArgs {
  use: Use;
  principal?: string;
  region?: string;
  account?: string;
  key?: string;
  keyManager?: KmsKeyManager;
  merge?: string;
  write?: string;
}

/** `policy gcs` flags as one options object. */
export interface GcsArgs {
  bucket: string;
  prefix?: string;
  member?: string;
  format: GcsFormat;
  write?: string;
}

/**
 * Checks which flags go together, once, at the edge.
 * @param args - yargs' parsed arguments
 * @returns the options for the s3 handler
 */
export function readS3Args(args: Record<string, unknown>): S3Args {
  const use = useOf(args);
  const only =
    use === "jobs" ? ["--prefix", "--documented"] : ["--input-prefix", "--output-prefix"];
  for (const flag of only) {
    if (args[flag.slice(2)] !== undefined && args[flag.slice(2)] !== false)
      throw inputError(flag, `applies to --for ${use === "jobs" ? "delivery" : "jobs"} only`);
  }

  return {
    use,
    bucket: text(args, "bucket") ?? "",
    inputPrefix: text(args, "input-prefix"),
    outputPrefix: text(args, "output-prefix"),
    prefix: text(args, "prefix"),
    principal: text(args, "principal"),
    documented: args.documented === true,
    format: args.format as S3Format,
    merge: text(args, "merge"),
    write: filePath(args, "write"),
  };
}

/**
 * @param args - yargs' parsed arguments
 * @returns the options for the kms handler
 */
export function readKmsArgs(args: Record<string, unknown>): KmsArgs {
  const result: KmsArgs = {
    use: useOf(args),
    principal: text(args, "principal"),
    region: text(args, "region"),
    account: text(args, "account"),
    key: text(args, "key"),
    keyManager: text(args, "key-manager") as KmsKeyManager | undefined,
    merge: text(args, "merge"),
    write: filePath(args, "write"),
  };
  if (result.merge !== undefined && result.account !== undefined) {
    throw inputError(
      "--account",
      "cannot be combined with --merge (merge keeps the owner's own statements)",
    );
  }

  return result;
}

/**
 * @param args - yargs' parsed arguments
 * @returns the options for the gcs handler
 */
export function readGcsArgs(args: Record<string, unknown>): GcsArgs {
  return {
    bucket: text(args, "bucket") ?? "",
    prefix: text(args, "prefix"),
    member: text(args, "member"),
    format: args.format as GcsFormat,
    write: filePath(args, "write"),
  };
}

/** A file path flag: as {@link text}, and never empty (`--write ''` names no file). */
function filePath(args: Record<string, unknown>, name: string): string | undefined {
  const value = text(args, name);
  if (value === "") throw inputError(`--${name}`, "needs a value");
  return value;
}

/** A string flag given at most once (yargs makes a list of a repeated flag). */
function text(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw inputError(`--${name}`, "given more than once");
  if (typeof value !== "string") throw inputError(`--${name}`, "needs a value");
  return value;
}
