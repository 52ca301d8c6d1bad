import type { Argv } from "yargs";
import { inputError, NimbleError } from "../../errors.js";
import type { Use } from "../../nimble.js";
import {
  ENDPOINT_OPTIONS,
  positiveNumber,
  readConfigText,
  readEndpoints,
  silenceSdkNodeVersionWarning,
  useOf,
  USES,
} from "../common.js";
import type { RunOptions, ProbeSpec } from "../../probe/run.js";
import type { Target } from "../../probe/target.js";
import { parseTarget } from "../../probe/target.js";
import { isOk } from "../../probe/types.js";
import type { ProbeFormat } from "../../report/probe-report.js";
import { PROBE_FORMATS } from "../../report/probe-report.js";
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

const probe: Command = {
  command: "probe [targets..]",
  describe: "Test a bucket the way Nimble's Test Connection does",
  builder: (yargs: Argv) =>
    yargs
      .positional("targets", { type: "string", array: true, describe: "s3://BUCKET/PREFIX/ URLs" })
      .option("read", {
        type: "string",
        describe: "Probe an input path (or the targets) for reading",
      })
      .option("write", {
        type: "string",
        describe: "Probe an output path (or the targets) for writing",
      })
      .option("for", {
        choices: USES,
        default: "jobs",
        describe: "Which Nimble identity to stand for",
      })
      .option("config", { type: "string", describe: "YAML or JSON file listing connections" })
      .option("format", { choices: PROBE_FORMATS, default: "text", describe: "Report format" })
      .options(ENDPOINT_OPTIONS)
      .option("timeout", { type: "number", default: 10, describe: "Seconds per request" })
      .option("concurrency", { type: "number", default: 4, describe: "Probes in flight at once" })
      .example("$0 probe s3://example-bucket/input/ --read", "Test a Jobs input path")
      .example(
        "$0 probe --read s3://example-bucket/input/ --write s3://example-bucket/output/",
        "Test both paths of a Job",
      )
      .example("$0 probe --for delivery --write s3://example-bucket/results/", "Test delivery")
      .example("$0 probe --config probes.yaml --format junit", "Many connections, for CI"),
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
  if (use === "delivery" && mode === "read") {
    throw inputError(
      "--read",
      "--for delivery has no read access (no s3:ListBucket or s3:GetObject); probe the storage_url with --write",
    );
  }
  return { target: parseTarget(url, field), mode, use };
}

async function configSpecs(args: Record<string, unknown>, io: CliIo): Promise<ProbeSpec[]> {
  const file = args.config;
  if (typeof file !== "string") return [];

  const text = await readConfigText(file, io);
  const { parseConnections } = await import("../../probe/config.js");
  return parseConnections(text, file).flatMap((connection) => [
    ...optionalSpec(connection.read, "read", connection.for),
    ...optionalSpec(connection.write, "write", connection.for),
  ]);
}

function optionalSpec(target: Target | undefined, mode: "read" | "write", use: Use): ProbeSpec[] {
  return target ? [{ target, mode, use }] : [];
}

function runOptions(args: Record<string, unknown>): RunOptions {
  const timeoutMs = positiveNumber(args.timeout, "--timeout") * 1000;
  const concurrency = Math.floor(positiveNumber(args.concurrency, "--concurrency"));
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

function strings(value: unknown): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  return list.map((item) => (typeof item === "string" ? item : String(item)));
}
