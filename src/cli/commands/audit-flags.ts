import { inputError, NimbleError } from "../../errors.js";
import type { Use } from "../../nimble.js";
import { checkAwsPrincipal, normalizePrefix } from "../../policy/names.js";

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
  return typeof args.member === "string" ? { member: args.member } : {};
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
  try {
    return JSON.parse(text ?? "") as unknown;
  } catch {
    throw new NimbleError("E_JSON", `${flag}: not valid JSON`, flag);
  }
}
