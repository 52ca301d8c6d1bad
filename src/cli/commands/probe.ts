import type { Argv } from "yargs";
import { inputError, NimbleError } from "../../errors.js";
import type { Use } from "../../nimble.js";
import {
  ENDPOINT_OPTIONS,
  positiveInteger,
  readConfigText,
  readEndpoints,
  silenceSdkNodeVersionWarning,
  useOf,
  USES,
} from "../common.js";
import type { RunOptions, ProbeSpec } from "../../probe/run.js";
import type { Connection } from "../../probe/config.js";
import type { Target } from "../../probe/target.js";
import { parseTarget } from "../../probe/target.js";
import { isOk } from "../../probe/types.js";
import type { ProbeFormat } from "../../report/probe-report.js";
import { PROBE_FORMATS } from "../../report/probe-report.js";
import type { OptionTable } from "../fast-args.js";
import type { CliIo } from "../io.js";
import { EXIT } from "../io.js";
import type { Command } from "../main.js";

/**
 * `nimble-bucket probe`: Nimble's Test Connection from the command line. Parses flags into one
 * plan (argv in, plan out), runs the probes, prints one report, returns 0, 1 or 2.
 */

/** Everything the command will do, parsed from the flags and the config file. */
export interface ProbePlan {
  specs: ProbeSpec[];
  format: ProbeFormat;
  options: RunOptions;
}

/** @default seconds per request */
const DEFAULT_TIMEOUT_SECONDS = 10;

/**
 * The longest `--timeout`. Node's timers hold at most 2^31-1 ms (about 24.8 days) and fire at once
 * beyond it, so some bound is needed; an hour per request is already far past any useful probe.
 * @see https://nodejs.org/api/timers.html#settimeoutcallback-delay-args
 */
const MAX_TIMEOUT_SECONDS = 3600;

/**
 * The flags of `probe` as data (the `[targets..]` positional is declared in the builder), so a
 * plain invocation skips yargs (fast-args.ts). `--read`/`--write` take a URL, may be repeated
 * (see `repeatable` below) and may be bare, meaning "the positional targets". They are declared
 * `string: true` rather than `type: "string"`: both parsers read them as strings (bare → ""), and
 * the well-formed-flags check does not ask them for a value. Positional targets are not plain
 * (fast-args refuses positionals), so `probe s3://b/in/ --read` still goes through yargs.
 */
export const PROBE_OPTIONS: OptionTable = {
  read: { string: true, describe: "Probe an input path for reading (repeatable), or the targets" },
  write: {
    string: true,
    describe: "Probe an output path for writing (repeatable), or the targets",
  },
  for: { choices: USES, default: "jobs", describe: "Which Nimble identity to stand for" },
  config: { type: "string", describe: "YAML or JSON file listing connections" },
  format: { choices: PROBE_FORMATS, default: "text", describe: "Report format" },
  ...ENDPOINT_OPTIONS,
  // A string, checked by timeoutSeconds: as a number flag, yargs would take 0x10, 0b1 and 1e1.
  timeout: {
    type: "string",
    default: DEFAULT_TIMEOUT_SECONDS,
    describe: `Seconds per request (a number > 0, at most ${MAX_TIMEOUT_SECONDS})`,
  },
  concurrency: {
    type: "number",
    default: 4,
    describe: "Probes in flight at once (a whole number >= 1)",
  },
};

/**
 * The help's examples, as data so a test runs each one (all but credentials) as written.
 * `examples/connections.yaml` is the connections file shipped with the repository. Each shows as
 * one line with a shell comment, so it can be copied whole (yargs wraps two-column examples).
 */
export const PROBE_EXAMPLES: readonly (readonly [command: string, what: string])[] = [
  ["$0 probe s3://example-bucket/input/ --read", "a Job's input path"],
  ["$0 probe --read s3://example-bucket/in/ --write s3://example-bucket/out/", "a Job"],
  ["$0 probe --for delivery --write s3://example-bucket/results/", "S3 delivery"],
  ["$0 probe --for delivery --write gs://example-bucket/results/", "GCS delivery"],
  ["$0 probe --config examples/connections.yaml --format junit", "many, for CI"],
];

const probe: Command = {
  command: "probe [targets..]",
  describe: "Test a bucket the way Nimble's Test Connection does",
  options: PROBE_OPTIONS,
  repeatable: ["read", "write"],
  builder: (yargs: Argv) => {
    const built = yargs
      .positional("targets", {
        type: "string",
        array: true,
        describe: "s3://BUCKET/PREFIX/ or gs://BUCKET/PREFIX/ URLs (with a bare --read/--write)",
      })
      .options(PROBE_OPTIONS);
    return PROBE_EXAMPLES.reduce(
      (y, [command, what]) => y.example(`${command}  # ${what}`, ""),
      built,
    );
  },
  run: runProbeCommand,
};

/** The `probe` commands. */
export const commands: Command[] = [probe];

/**
 * Runs the probe command.
 * @param args - yargs arguments
 * @param io - where to write
 * @returns 0 when every probe passed, 1 when one failed (usage errors throw, exit 2)
 */
export async function runProbeCommand(args: Record<string, unknown>, io: CliIo): Promise<number> {
  const plan = await planProbes(args, io);
  silenceSdkNodeVersionWarning();
  const [{ runProbes }, { renderProbeReport }] = await Promise.all([
    import("../../probe/run.js"),
    import("../../report/probe-report.js"),
  ]);

  const results = await runProbes(plan.specs, plan.options);
  const color = io.isTty && !io.env.NO_COLOR;
  io.stdout(await renderProbeReport(results, plan.format, { color, env: io.env }));
  return results.every((result) => isOk(result.status)) ? EXIT.ok : EXIT.failed;
}

/**
 * Turns parsed flags (and the config file they name) into a plan. Argv in, plan out.
 * @param args - yargs arguments
 * @param io - reads the config file
 * @returns the probes to run and how
 * @throws NimbleError E_USAGE or E_INPUT naming the flag
 */
export async function planProbes(args: Record<string, unknown>, io: CliIo): Promise<ProbePlan> {
  const use = useOf(args);
  const specs = [...flagSpecs(args, use), ...(await configSpecs(args, io))];
  if (specs.length === 0) {
    throw new NimbleError(
      "E_USAGE",
      "name what to probe: s3://BUCKET/PREFIX/ with --read or --write, --read URL, --write URL, or --config FILE",
    );
  }

  return { specs, format: args.format as ProbeFormat, options: runOptions(args) };
}

function flagSpecs(args: Record<string, unknown>, use: Use): ProbeSpec[] {
  const positional = strings(args.targets);
  const reads = strings(args.read);
  const writes = strings(args.write);
  const bareModes = (["read", "write"] as const).filter((mode) => strings(args[mode]).includes(""));
  if (positional.length > 0 && bareModes.length === 0) {
    throw new NimbleError("E_USAGE", "say what to test on the targets: --read or --write");
  }

  const specs = [
    ...bareModes.flatMap((mode) => positional.map((url) => spec(url, mode, use, "targets"))),
    ...reads.filter((url) => url !== "").map((url) => spec(url, "read", use, "--read")),
    ...writes.filter((url) => url !== "").map((url) => spec(url, "write", use, "--write")),
  ];
  return specs;
}

function spec(url: string, mode: "read" | "write", use: Use, field: string): ProbeSpec {
  const target = parseTarget(url, field);
  if (use === "delivery" && mode === "read") {
    const why = DELIVERY_GRANT[target.provider];
    throw inputError("--read", `--for delivery has no read access (${why}); probe with --write`);
  }
  return { target, mode, use };
}

/**
 * What Nimble's delivery identity is granted, per provider: why it cannot read.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 * @see https://cloud.google.com/storage/docs/access-control/iam-roles (Storage Object Creator)
 */
const DELIVERY_GRANT: Readonly<Record<Target["provider"], string>> = {
  s3: "no s3:ListBucket or s3:GetObject",
  gcs: "Storage Object Creator has no storage.objects.list or storage.objects.get",
};

async function configSpecs(args: Record<string, unknown>, io: CliIo): Promise<ProbeSpec[]> {
  const file = args.config;
  if (typeof file !== "string") return [];

  const text = await readConfigText(file, io);
  const { parseConnections } = await import("../../probe/config.js");
  return parseConnections(text, file).flatMap((connection) => [
    ...optionalSpec(connection, "read"),
    ...optionalSpec(connection, "write"),
  ]);
}

function optionalSpec(connection: Connection, mode: "read" | "write"): ProbeSpec[] {
  const target = connection[mode];
  const name = connection.name === undefined ? {} : { name: connection.name };
  return target ? [{ target, mode, use: connection.for, ...name }] : [];
}

function runOptions(args: Record<string, unknown>): RunOptions {
  const timeoutMs = timeoutSeconds(args.timeout) * 1000;
  const concurrency = positiveInteger(args.concurrency, "--concurrency");
  const { endpoint, region, pathStyle, gcsEndpoint } = readEndpoints(args);

  return {
    timeoutMs,
    concurrency,
    ...(gcsEndpoint ? { gcsEndpoint } : {}),
    s3: {
      timeoutMs,
      ...(endpoint ? { endpoint } : {}),
      ...(region ? { region } : {}),
      ...(pathStyle ? { forcePathStyle: true } : {}),
    },
  };
}

/**
 * `--timeout` as a plain decimal number of seconds ("10", "2.5"); a number from a library caller
 * or the default is taken as it is. Hexadecimal, binary, exponents and padding are refused.
 */
function timeoutSeconds(value: unknown): number {
  const seconds = typeof value === "string" && DECIMAL.test(value) ? Number(value) : value;
  const isInRange =
    typeof seconds === "number" &&
    Number.isFinite(seconds) &&
    seconds > 0 &&
    seconds <= MAX_TIMEOUT_SECONDS;
  if (!isInRange) {
    throw inputError(
      "--timeout",
      `must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS} (e.g. 10 or 2.5)`,
    );
  }
  return seconds;
}

const DECIMAL = /^\d+(\.\d+)?$/;

function strings(value: unknown): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  return list.map((item) => (typeof item === "string" ? item : String(item)));
}
