import { inputError } from "../errors.js";
import type { Use } from "../nimble.js";
import { printable } from "../policy/names.js";
import type { OptionTable } from "./fast-args.js";
import type { CliIo } from "./io.js";

/**
 * CLI plumbing that `probe` and `audit` share: the endpoint flags and their checks, the
 * `--config` file, the `--for` identity. Only flags in, typed values out; nothing prints.
 */

/** The identities `--for` accepts. */
export const USES: readonly Use[] = ["jobs", "delivery"];

/** Where live requests go: S3-compatible and GCS endpoints, region, addressing. */
export const ENDPOINT_OPTIONS: OptionTable = {
  endpoint: { type: "string", describe: "S3-compatible endpoint URL" },
  "path-style": { type: "boolean", describe: "Path-style S3 addressing" },
  region: { type: "string", describe: "S3 region [default: AWS chain, else us-east-1]" },
  "gcs-endpoint": { type: "string", describe: "GCS endpoint URL (emulators)" },
};

/** The endpoint flags, checked. */
export interface Endpoints {
  /** S3 endpoint URL; the SDK also reads AWS_ENDPOINT_URL(_S3) itself */
  endpoint?: string;
  /** @default the SDK's region chain */
  region?: string;
  /** @default false */
  pathStyle: boolean;
  gcsEndpoint?: string;
}

/**
 * Reads the {@link ENDPOINT_OPTIONS} flags.
 * @param args - parsed flags
 * @returns the endpoints, without the flags that were not given
 * @throws NimbleError E_INPUT naming the flag (a URL that is not http(s), a bad region)
 */
export function readEndpoints(args: Record<string, unknown>): Endpoints {
  const endpoint = optionalUrl(args.endpoint, "--endpoint");
  const gcsEndpoint = optionalUrl(args["gcs-endpoint"], "--gcs-endpoint");
  const region = typeof args.region === "string" ? checkRegion(args.region) : undefined;

  return {
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    pathStyle: args["path-style"] === true,
    ...(gcsEndpoint ? { gcsEndpoint } : {}),
  };
}

/**
 * The Nimble identity `--for` names.
 * @param args - parsed flags
 * @returns `delivery` when asked for, else `jobs`
 */
export function useOf(args: Record<string, unknown>): Use {
  return args.for === "delivery" ? "delivery" : "jobs";
}

/**
 * Reads the file a flag names, the one way every command does: a failure is one line naming the
 * flag, the path and the reason (`--merge: cannot read FILE: reason`).
 * @param io - reads it
 * @param path - the file's path, or "-" for stdin
 * @param flag - the flag to name in the error, e.g. --merge
 * @returns its text
 * @throws NimbleError E_INPUT naming the flag, the path and the reason
 */
export async function readFlagFile(io: CliIo, path: string, flag: string): Promise<string> {
  return io.readInput(path).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw inputError(flag, `cannot read ${path}: ${reason}`);
  });
}

/**
 * Reads the `--config` connections file.
 * @param file - its path, or "-" for stdin
 * @param io - reads it
 * @returns its text
 * @throws NimbleError E_INPUT naming --config and the reason
 */
export async function readConfigText(file: string, io: CliIo): Promise<string> {
  return readFlagFile(io, file, "--config");
}

/**
 * Checks a flag that must be a whole number of at least 1 (a count such as `--concurrency`).
 * @param value - the parsed flag
 * @param field - the flag to name in the error
 * @returns the number
 * @throws NimbleError E_INPUT naming the flag and what it accepts
 */
export function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw inputError(field, "must be a whole number of at least 1 (e.g. 4)");
  }
  return value;
}

/**
 * The AWS SDK warns on Node 20 that later SDK versions will need Node 22; in a CLI report that
 * line is noise. The SDK documents one switch for exactly that warning, which we set unless the
 * user has set it. No other warning is affected.
 */
export function silenceSdkNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}

function optionalUrl(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === "string" ? value : "";
  if (!/^https?:\/\/[^\s/]+/.test(text))
    throw inputError(field, "must be an http:// or https:// URL");
  return text;
}

function checkRegion(region: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(region)) {
    throw inputError("--region", `"${printable(region)}" is not a region name like us-east-1`);
  }
  return region;
}
