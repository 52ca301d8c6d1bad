import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import { readFile } from "node:fs/promises";
import yargs from "yargs";
import { commands, planProbes, PROBE_EXAMPLES } from "../../src/cli/commands/probe.js";
import { RGW_USERS, rgwEndpoint } from "../support/servers.js";
import { capturedIo, fileMap, type CapturedIo } from "../support/io.js";
import { ownerBucket, uniqueBucket } from "./support/rgw.js";

function fakeIo(files: Record<string, string> = {}, env: Record<string, string> = {}): CapturedIo {
  return capturedIo({ readInput: fileMap(files), env });
}

/** Reads files from the repository root, as the help's examples name them. */
const repoIo: CliIo = {
  ...fakeIo(),
  readInput: (path) => readFile(new URL(`../../${path}`, import.meta.url), "utf8"),
};

const defaults = { for: "jobs", format: "text", timeout: 10, concurrency: 4 };

describe("planProbes: argv in, plan out", () => {
  it.each([
    [
      "a positional target with a bare --read",
      { targets: ["s3://b-1/in/"], read: "" },
      [["read", "s3://b-1/in/"]],
    ],
    [
      "a positional target with bare --read and --write",
      { targets: ["s3://b-1/io/"], read: "", write: "" },
      [
        ["read", "s3://b-1/io/"],
        ["write", "s3://b-1/io/"],
      ],
    ],
    [
      "--read URL and --write URL together",
      { read: "s3://b-1/in/", write: "s3://b-1/out/" },
      [
        ["read", "s3://b-1/in/"],
        ["write", "s3://b-1/out/"],
      ],
    ],
    [
      "repeated --write",
      { write: ["s3://b-1/a/", "gs://b-2/b/"] },
      [
        ["write", "s3://b-1/a/"],
        ["write", "gs://b-2/b/"],
      ],
    ],
  ])("plans %s", async (_what, args, expected) => {
    const plan = await planProbes({ ...defaults, ...args }, fakeIo());

    expect(plan.specs.map((s) => [s.mode, s.target.url])).toEqual(expected);
  });

  it("turns --timeout seconds into a per-request timeout in ms, with endpoint and path style", async () => {
    const args = {
      ...defaults,
      write: "s3://b-1/o/",
      timeout: 2.5,
      endpoint: "http://127.0.0.1:9",
      "path-style": true,
      region: "eu-west-1",
    };

    const plan = await planProbes(args, fakeIo());

    expect(plan.options).toMatchObject({
      timeoutMs: 2500,
      concurrency: 4,
      s3: {
        timeoutMs: 2500,
        endpoint: "http://127.0.0.1:9",
        forcePathStyle: true,
        region: "eu-west-1",
      },
    });
  });

  it("adds the connections of a --config file", async () => {
    const file = "connections:\n  - for: delivery\n    write: s3://b-1/results/\n";

    const plan = await planProbes({ ...defaults, config: "p.yaml" }, fakeIo({ "p.yaml": file }));

    expect(plan.specs.map((s) => [s.mode, s.use, s.target.url])).toEqual([
      ["write", "delivery", "s3://b-1/results/"],
    ]);
  });

  it("keeps each connection's name from a --config file", async () => {
    const file =
      "connections:\n  - name: nightly crawl\n    read: s3://b-1/in/\n    write: s3://b-1/out/\n" +
      "  - write: gs://b-2/results/\n";

    const plan = await planProbes({ ...defaults, config: "p.yaml" }, fakeIo({ "p.yaml": file }));

    expect(plan.specs.map((s) => [s.name, s.mode, s.target.url])).toEqual([
      ["nightly crawl", "read", "s3://b-1/in/"],
      ["nightly crawl", "write", "s3://b-1/out/"],
      [undefined, "write", "gs://b-2/results/"],
    ]);
  });

  it.each([
    ["a whole number of seconds", 10, 10_000],
    ["a fraction of a second", 0.5, 500],
    ["the longest timeout, an hour", 3600, 3_600_000],
    ["decimal text, as argv gives it", "2.5", 2500],
    ["whole decimal text", "10", 10_000],
  ])("accepts --timeout as %s", async (_what, timeout, timeoutMs) => {
    const plan = await planProbes({ ...defaults, read: "s3://b-1/in/", timeout }, fakeIo());

    expect(plan.options.timeoutMs).toBe(timeoutMs);
  });

  it.each([
    ["no target at all", {}, /name what to probe/],
    ["a positional target without a mode", { targets: ["s3://b-1/in/"] }, /--read or --write/],
    [
      "a read probe for delivery",
      { for: "delivery", read: "s3://b-1/in/" },
      /^--read: --for delivery has no read access/,
    ],
    ["a bad bucket name", { read: "s3://B/in/" }, /^--read: "B" is not a valid S3 bucket name/],
    [
      "a zero timeout",
      { read: "s3://b-1/in/", timeout: 0 },
      /^--timeout: must be a number of seconds above 0 and at most 3600 \(e\.g\. 10 or 2\.5\)$/,
    ],
    [
      // Node fires a timer of more than 2^31-1 ms at once: such a timeout would fail every probe
      // @see https://nodejs.org/api/timers.html#settimeoutcallback-delay-args
      "a timeout past Node's longest timer",
      { read: "s3://b-1/in/", timeout: 3e6 },
      /^--timeout: must be a number of seconds above 0 and at most 3600/,
    ],
    [
      "a timeout that is not a number",
      { read: "s3://b-1/in/", timeout: Number.NaN },
      /^--timeout: must be a number of seconds/,
    ],
    [
      "a fractional concurrency",
      { read: "s3://b-1/in/", concurrency: 1.5 },
      /^--concurrency: must be a whole number of at least 1/,
    ],
    [
      "a zero concurrency",
      { read: "s3://b-1/in/", concurrency: 0 },
      /^--concurrency: must be a whole number of at least 1/,
    ],
    [
      "a read probe of a GCS path for delivery, in GCS terms",
      { for: "delivery", read: "gs://b-1/in/" },
      /^--read: --for delivery has no read access \(Storage Object Creator has no storage\.objects\.list or storage\.objects\.get\)/,
    ],
    [
      "an endpoint that is not a URL",
      { read: "s3://b-1/in/", endpoint: "localhost:9000" },
      /^--endpoint: must be an http/,
    ],
    [
      "a config file that cannot be read",
      { config: "missing.yaml" },
      /^--config: cannot read missing\.yaml/,
    ],
  ])("refuses %s", async (_what, args, message) => {
    await expect(planProbes({ ...defaults, ...args }, fakeIo())).rejects.toThrow(message);
  });
});

describe("nimble-bucket probe: usage errors", () => {
  it.each([
    ["no target", ["probe"]],
    ["an unknown format", ["probe", "--read", "s3://b-1/in/", "--format", "sarif"]],
    ["a prefix with a wildcard", ["probe", "--write", "s3://b-1/out*/"]],
  ])("exits 2 with nothing on stdout for %s", async (_what, argv) => {
    const io = fakeIo();

    const code = await main(argv, io);

    expect(code).toBe(2);
    expect(io.out).toBe("");
    expect(io.err).toMatch(/^nimble-bucket: /);
  });

  it.each([
    ["--concurrency 1.5", ["--concurrency", "1.5"], "--concurrency: must be a whole number"],
    ["--concurrency=1.5", ["--concurrency=1.5"], "--concurrency: must be a whole number"],
    ["--timeout abc", ["--timeout", "abc"], "--timeout: must be a number of seconds"],
    ["--timeout -1", ["--timeout=-1"], "--timeout: must be a number of seconds"],
    ["--timeout in hexadecimal", ["--timeout", "0x10"], "--timeout: must be a number of seconds"],
    ["--timeout in binary", ["--timeout=0b1"], "--timeout: must be a number of seconds"],
    ["--timeout with an exponent", ["--timeout", "1e1"], "--timeout: must be a number of seconds"],
    ["--timeout Infinity", ["--timeout", "Infinity"], "--timeout: must be a number of seconds"],
    ["--timeout with spaces", ["--timeout", " 10 "], "--timeout: must be a number of seconds"],
    [
      "a hex --timeout on the yargs path (positional target)",
      ["s3://b-1/x/", "--write", "--timeout", "0x10"],
      "--timeout: must be a number of seconds",
    ],
    ["--path-style=maybe", ["--path-style=maybe"], "--path-style: takes true or false"],
    ["--path-style=yes", ["--path-style=yes"], "--path-style: takes true or false"],
    ["--no-path-style=maybe", ["--no-path-style=maybe"], "--path-style: takes true or false"],
    [
      "--path-style=maybe on the yargs path (positional target)",
      ["s3://b-1/x/", "--write", "--path-style=maybe"],
      "--path-style: takes true or false",
    ],
  ])("exits 2 naming the flag for %s", async (_what, flags, message) => {
    const io = fakeIo();

    const code = await main(["probe", "--read", "s3://b-1/in/", ...flags], io);

    expect([code, io.out]).toEqual([2, ""]);
    expect(io.err.startsWith(`nimble-bucket: ${message}`)).toBe(true);
  });

  // a zero --concurrency is refused only when planning, after parsing: these reach the planner
  it.each([
    ["a repeated --read", ["--read", "s3://b-1/a/", "--read", "s3://b-1/b/"]],
    ["a repeated --write", ["--write", "s3://b-1/a/", "--write=gs://b-2/b/"]],
    ["a positional target with a bare --read", ["s3://b-1/in/", "--read"]],
    ["a positional target with bare --read and --write", ["s3://b-1/in/", "--read", "--write"]],
  ])("parses %s (no flag-shape error)", async (_what, flags) => {
    const io = fakeIo();

    const code = await main(["probe", ...flags, "--concurrency", "0"], io);

    expect([code, io.err]).toEqual([
      2,
      "nimble-bucket: --concurrency: must be a whole number of at least 1 (e.g. 4)\n",
    ]);
  });

  it("delivery's read refusal on a GCS path names no S3 permission", async () => {
    const io = fakeIo();

    const code = await main(["probe", "--for", "delivery", "--read", "gs://b-1/in/"], io);

    expect(code).toBe(2);
    expect(io.err).toMatch(/^nimble-bucket: --read: --for delivery has no read access/);
    expect(io.err).not.toMatch(/s3:/);
  });
});

describe("nimble-bucket probe --help", () => {
  it("names both URL schemes for the targets", async () => {
    const io = fakeIo();

    const code = await main(["probe", "--help"], io);

    expect(code).toBe(0);
    expect(io.out).toContain("s3://BUCKET/PREFIX/ or gs://BUCKET/PREFIX/");
    expect(io.out).toMatch(/probe --for delivery --write gs:\/\//);
  });

  it.each(PROBE_EXAMPLES.map(([command, what]) => [what, command]))(
    "shows the example '%s' whole on one line: %s",
    async (what, command) => {
      const io = fakeIo();

      await main(["probe", "--help"], io);

      const line = `${command.replace("$0", "nimble-bucket")}  # ${what}`;
      expect(io.out.split("\n").map((l) => l.trim())).toContain(line);
    },
  );

  it.each(PROBE_EXAMPLES.map(([command, what]) => [what, command]))(
    "its example '%s' plans as written (%s)",
    async (_what, command) => {
      const argv = command.split(" ").slice(1);
      const args = await yargs(argv)
        .command(commands[0]?.command ?? "", "", commands[0]?.builder ?? ((y) => y))
        .strict()
        .exitProcess(false)
        .parseAsync();

      const plan = await planProbes(args, repoIo);

      expect(plan.specs.length).toBeGreaterThan(0);
    },
  );
});

describe.skipIf(!rgwEndpoint())("nimble-bucket probe against Ceph RGW", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  function ownerEnv(): Record<string, string> {
    const env = {
      AWS_ACCESS_KEY_ID: RGW_USERS.owner.accessKeyId,
      AWS_SECRET_ACCESS_KEY: RGW_USERS.owner.secretAccessKey,
      AWS_REGION: "us-east-1",
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    vi.stubEnv("AWS_PROFILE", "");
    return env;
  }

  it("exits 0 with a JSON report when both paths of a Job are ready", async () => {
    const bucket = uniqueBucket("cli");
    await ownerBucket(bucket, { objects: ["input/urls.csv"] });
    const io = fakeIo({}, ownerEnv());
    const argv = ["probe", "--read", `s3://${bucket}/input/`, "--write", `s3://${bucket}/output/`];

    const code = await main(
      [...argv, "--endpoint", rgwEndpoint() ?? "", "--path-style", "--format", "json"],
      io,
    );

    const report = JSON.parse(io.out) as { results: { status: string; mode: string }[] };
    expect(code).toBe(0);
    expect(report.results.map((r) => [r.mode, r.status])).toEqual([
      ["read", "ok"],
      ["write", "ok"],
    ]);
    expect(`${io.out}${io.err}`).not.toContain(RGW_USERS.owner.secretAccessKey);
  });

  it("honours AWS_ENDPOINT_URL_S3 and exits 1 for a missing bucket", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL_S3", rgwEndpoint() ?? "");
    const io = fakeIo({}, ownerEnv());

    const code = await main(
      ["probe", "s3://nb-probe-never-made/input/", "--read", "--path-style"],
      io,
    );

    expect(code).toBe(1);
    expect(io.out).toMatch(/^✗ Bucket does not exist +read +s3:\/\/nb-probe-never-made\/input\/\n/);
    expect(io.out).toMatch(/HeadBucket returned 404/);
  });

  it("writes JUnit with one test case per probe and a failure for the failed one", async () => {
    const bucket = uniqueBucket("junit");
    await ownerBucket(bucket);
    const io = fakeIo({}, ownerEnv());
    const argv = [
      "probe",
      "--read",
      `s3://${bucket}/input/`,
      "--read",
      "s3://nb-probe-never-made/in/",
    ];

    const code = await main(
      [...argv, "--endpoint", rgwEndpoint() ?? "", "--path-style", "--format", "junit"],
      io,
    );

    expect(code).toBe(1);
    expect(io.out.match(/<testcase /g)).toHaveLength(2);
    expect(io.out.match(/<failure type="bucket-not-found"/g)).toHaveLength(1);
  });
});

describe("nimble-bucket probe: colour", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    ["colours chips on a terminal", true, {}, true],
    ["honours NO_COLOR on a terminal", true, { NO_COLOR: "1" }, false],
    ["prints no colour into a pipe", false, {}, false],
  ])("%s", async (_what, isTty, env, coloured) => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "example-secret-key");
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    const io = fakeIo({}, env);
    io.isTty = isTty;
    const closed = "http://127.0.0.1:9";

    const code = await main(
      ["probe", "--read", "s3://b-1/in/", "--endpoint", closed, "--path-style"],
      io,
    );

    expect(code).toBe(1);
    expect(io.out.includes("\u001b[31m✗ Connection failed")).toBe(coloured);
  });
});
