import { checkGcsMember } from "../../policy/names.js";
import { inputError, NimbleError } from "../../errors.js";
import type { Use } from "../../nimble.js";
import { parseJsonText } from "../../policy/json.js";
import { checkAwsPrincipal, normalizePrefix, printable } from "../../policy/names.js";

/**
 * Small readers of `audit` flags that offline and live planning share. Flags in, checked values
 * out; errors name the flag.
 */

/** Reads the file a flag names (recording its text for SARIF); undefined when not given. */
export type ReadFlagFile = (flag: string) => Promise<string | undefined>;

/** The prefixes of one use, as S3AuditInput takes them. */
export type Prefixes = { prefix: string } | { inputPrefix?: string; outputPrefix?: string };

const JOBS_PREFIX_FOR_DELIVERY = "Jobs prefixes do not apply to --for delivery; use --prefix";
const PREFIX_FOR_JOBS =
  "--prefix is for --for delivery; Jobs use --input-prefix and --output-prefix";

/**
 * The prefixes flags of one use, checked.
 * @param args - parsed flags
 * @param use - jobs (input and output prefixes) or delivery (one prefix)
 * @param urlPrefix - the target URL's path, the delivery prefix when --prefix is absent
 * @returns the prefixes ("" or "x/"); Jobs prefixes are left out when not given
 * @throws NimbleError E_INPUT naming the flag that does not fit the use
 */
export function prefixes(args: Record<string, unknown>, use: Use, urlPrefix = ""): Prefixes {
  const prefix = (flag: string) =>
    typeof args[flag] === "string" ? normalizePrefix(args[flag], `--${flag}`) : undefined;
  if (use === "delivery") {
    if (args["input-prefix"] !== undefined || args["output-prefix"] !== undefined)
      throw inputError("--input-prefix", JOBS_PREFIX_FOR_DELIVERY);
    return { prefix: prefix("prefix") ?? urlPrefix };
  }
  if (args.prefix !== undefined) throw inputError("--prefix", PREFIX_FOR_JOBS);

  return { inputPrefix: prefix("input-prefix"), outputPrefix: prefix("output-prefix") };
}

/**
 * `--principal ARN`, checked.
 * @param args - parsed flags
 * @returns `{principal}` when given, else `{}`
 */
export function principal(args: Record<string, unknown>): { principal?: string } {
  return typeof args.principal === "string" ? { principal: checkAwsPrincipal(args.principal) } : {};
}

/**
 * `--member M` for a GCS audit.
 * @param args - parsed flags
 * @returns `{member}` when given, else `{}`
 */
export function member(args: Record<string, unknown>): { member?: string } {
  return typeof args.member === "string" ? { member: checkGcsMember(args.member) } : {};
}

/**
 * The name findings use for a file.
 * @param path - the file's path, or "-" for stdin
 * @returns the path, or `stdin`
 */
export function sourceName(path: string): string {
  return path === "-" ? "stdin" : path;
}

/**
 * Runs a parser and puts the flag in front of its error, so the message names the flag.
 * @param flag - e.g. --policy
 * @param parse - the parser to run
 * @returns what the parser returns
 */
export function withFlag<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof NimbleError && !error.message.startsWith(flag))
      throw new NimbleError(error.code, `${flag} ${error.message}`, flag);
    throw error;
  }
}

/**
 * Parses a flag's file as JSON.
 * @param text - the file's text
 * @param flag - the flag to name in the error
 * @returns the parsed value
 * @throws NimbleError E_JSON naming the flag
 */
export function jsonOf(text: string | undefined, flag: string): unknown {
  return parseJsonText(text ?? "", flag, { uniqueKeys: true });
}

/** Flags that give an S3 offline input: any of them makes the audit offline. */
export const S3_OFFLINE_FLAGS = [
  "policy",
  "key-policy",
  "key-metadata",
  "encryption",
  "ownership",
  "object-lock",
  "requester-pays",
] as const;

/** Flags that give a GCS offline input: any of them makes the audit offline. */
export const GCS_OFFLINE_FLAGS = ["iam-policy", "bucket-metadata"] as const;

/** Every offline input flag; with one of them nothing is read live. */
export const OFFLINE_FLAGS: readonly string[] = [...S3_OFFLINE_FLAGS, ...GCS_OFFLINE_FLAGS];

/** Flags that only an S3 audit reads (S3 settings, AWS principal, Jobs prefixes, IAM simulator). */
const S3_ONLY_FLAGS: readonly string[] = [
  ...S3_OFFLINE_FLAGS,
  "principal",
  "input-prefix",
  "output-prefix",
  "confirm-with-aws",
  "bucket-owner",
];

/** Flags that only a GCS audit reads. */
const GCS_ONLY_FLAGS: readonly string[] = [...GCS_OFFLINE_FLAGS, "member"];

/** Flags that name one bucket or its inputs; `--config` names its buckets itself. */
const ONE_BUCKET_FLAGS: readonly string[] = [
  ...OFFLINE_FLAGS,
  "bucket",
  "prefix",
  "input-prefix",
  "output-prefix",
  "principal",
  "member",
];

/**
 * The flags of a list that were given (a boolean given as false counts: it states a setting).
 * @param args - parsed flags
 * @param flags - flag names without dashes
 * @returns the given ones, in list order
 */
export function givenFlags(args: Record<string, unknown>, flags: readonly string[]): string[] {
  return flags.filter((flag) => args[flag] !== undefined);
}

/**
 * Refuses the flags that do not apply to an S3 or a GCS audit.
 * @param args - parsed flags
 * @param provider - the audit's provider
 * @throws NimbleError E_USAGE naming the first flag that does not apply
 */
export function refuseOtherProviderFlags(
  args: Record<string, unknown>,
  provider: "s3" | "gcs",
): void {
  const foreign = givenFlags(args, provider === "s3" ? GCS_ONLY_FLAGS : S3_ONLY_FLAGS)[0];
  if (foreign === undefined) return;

  const why =
    provider === "s3"
      ? "applies to GCS (gs://) audits only, not to an S3 audit"
      : "applies to S3 audits only, not to a GCS (gs://) audit";
  throw new NimbleError("E_USAGE", `--${foreign}: ${why}`, `--${foreign}`);
}

/**
 * Refuses flags that name one bucket's inputs next to `--config` (which audits its
 * connections live), so an offline file is never silently ignored.
 * @param args - parsed flags, `--config` among them
 * @throws NimbleError E_USAGE naming --config and the other flag
 */
export function refuseWithConfig(args: Record<string, unknown>): void {
  const other = typeof args.target === "string" ? "target" : givenFlags(args, ONE_BUCKET_FLAGS)[0];
  if (other === undefined) return;

  const name = other === "target" ? `the target ${printable(String(args.target))}` : `--${other}`;
  throw new NimbleError(
    "E_USAGE",
    `--config cannot be combined with ${name}: --config audits its connections live; ` +
      "audit one bucket offline with --bucket (or s3://B/, gs://B/) and the files instead",
    "--config",
  );
}
