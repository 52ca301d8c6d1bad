import yargs from "yargs";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { commands, planProbes, PROBE_OPTIONS } from "../../src/cli/commands/probe.js";
import { fastArgs } from "../../src/cli/fast-args.js";

/**
 * `probe` declares its flags as data, so a plain invocation skips yargs (fast-args.ts). Both
 * parsers must give the same plan: argv in, plan out. `--read`/`--write` are strings that may be
 * repeated or bare; positional targets are not plain and stay with yargs.
 */

const files: Record<string, string> = {
  "p.yaml": "connections:\n  - name: nightly\n    read: s3://b-1/in/\n    write: gs://b-2/out/\n",
};

const io: CliIo = {
  stdout: () => undefined,
  stderr: () => undefined,
  readInput: (path) => Promise.resolve(files[path] ?? ""),
  isTty: false,
  env: {},
};

/** The full yargs parse of the same argv through the command's builder, as main runs it. */
async function yargsArgs(argv: string[]): Promise<Record<string, unknown>> {
  const probe = commands[0];
  if (!probe) throw new Error("no probe command");
  return yargs(["probe", ...argv])
    .command(probe.command, probe.describe, probe.builder)
    .strict()
    .exitProcess(false)
    .parseAsync();
}

describe("probe: the fast path and yargs give the same plan", () => {
  it.each([
    ["--read URL and --write URL", ["--read", "s3://b-1/in/", "--write", "s3://b-1/out/"]],
    [
      "a bare --write next to --read URL (the bare one names no target)",
      ["--read", "s3://b-1/in/", "--write"],
    ],
    ["delivery, JSON, numbers", ["--for", "delivery", "--write", "s3://b-1/r/", "--format=json"]],
    [
      "endpoint flags, timeout and concurrency",
      [
        ...["--read", "s3://b-1/in/", "--endpoint", "http://127.0.0.1:9", "--path-style"],
        ...["--region", "eu-west-1", "--gcs-endpoint", "http://127.0.0.1:8"],
        ...["--timeout", "2.5", "--concurrency", "8"],
      ],
    ],
    ["a --config file with names", ["--config", "p.yaml", "--format", "junit"]],
  ])("%s", async (_name, argv) => {
    const fast = fastArgs(argv, PROBE_OPTIONS);

    expect(fast).toBeDefined();
    expect(await planProbes(fast ?? {}, io)).toEqual(await planProbes(await yargsArgs(argv), io));
  });

  // fast-args' well-formed-flags check does not know probe's `repeatable` list (main does), so
  // today a repeated --read/--write declines the fast path and yargs plans it; if the fast path
  // ever takes it, it must plan the same
  it("plans a repeated --write as yargs does, whichever parser takes it", async () => {
    const argv = ["--write", "s3://b-1/a/", "--write=gs://b-2/b/"];

    const plan = await planProbes(fastArgs(argv, PROBE_OPTIONS) ?? (await yargsArgs(argv)), io);

    expect(plan).toEqual(await planProbes(await yargsArgs(argv), io));
    expect(plan.specs.map((s) => s.target.url)).toEqual(["s3://b-1/a/", "gs://b-2/b/"]);
  });

  it.each([
    ["--concurrency 1.5", ["--read", "s3://b-1/in/", "--concurrency", "1.5"]],
    ["--timeout abc", ["--read", "s3://b-1/in/", "--timeout", "abc"]],
    ["a read probe for delivery", ["--for", "delivery", "--read", "gs://b-1/in/"]],
  ])("refuses %s in the same words", async (_name, argv) => {
    const fast = planProbes(fastArgs(argv, PROBE_OPTIONS) ?? {}, io);
    const full = planProbes(await yargsArgs(argv), io);

    const [fastError, fullError] = await Promise.all([
      fast.then(
        () => "planned",
        (error: unknown) => String(error),
      ),
      full.then(
        () => "planned",
        (error: unknown) => String(error),
      ),
    ]);
    expect(fastError).not.toBe("planned");
    expect(fastError).toBe(fullError);
  });
});

describe("probe: anything unusual goes to yargs", () => {
  it.each([
    ["a positional target with a bare --read", ["s3://b-1/in/", "--read"]],
    ["--help", ["--read", "s3://b-1/in/", "--help"]],
    ["an unknown flag", ["--read", "s3://b-1/in/", "--colour"]],
    ["a format outside the choices", ["--read", "s3://b-1/in/", "--format", "sarif"]],
    ["an identity outside the choices", ["--for", "crawler", "--read", "s3://b-1/in/"]],
  ])("%s", (_name, argv) => {
    expect(fastArgs(argv, PROBE_OPTIONS)).toBeUndefined();
  });
});
