import { createServer } from "node:net";
import type { Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_EXAMPLES } from "../../src/cli/commands/audit.js";
import { runCli } from "./cli-support.js";

/**
 * What is read live: a target URL with any offline file is an offline audit of the bucket and
 * prefix the URL names, `--config` takes no offline file, and files of the wrong shape or flags
 * that do not apply are refused with exit 2. A loopback listener counts every connection the
 * CLI opens: an offline audit must open none.
 */

const GOOD = "examples/s3/jobs-good.bucket-policy.json";
const GCS_GOOD = "examples/gcs/delivery-good.iam-policy.json";
const FOO = "test/audit/fixtures/shape-foo.json";

let listener: Server;
let connections = 0;
let endpoint = "";

beforeAll(async () => {
  listener = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((done) => listener.listen(0, "127.0.0.1", done));
  const address = listener.address();
  endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((done) => listener.close(() => done())));

describe("a target URL with offline files is audited offline, with no network call", () => {
  it.each([
    {
      name: "s3:// URL with --policy audits the file for the URL's bucket",
      argv: () => ["s3://acme-data-exchange/", "--policy", GOOD, "--endpoint", endpoint],
      code: 0,
    },
    {
      name: "gs:// URL with --iam-policy audits the file for the URL's bucket and prefix",
      argv: () => [
        "--for",
        "delivery",
        "gs://acme-data-exchange/results/",
        "--iam-policy",
        GCS_GOOD,
        "--gcs-endpoint",
        endpoint,
      ],
      code: 0,
    },
    {
      name: "s3:// URL with only --encryption asks for --policy instead of reading it live",
      argv: () => [
        "s3://acme-data-exchange/",
        "--encryption",
        "examples/s3/encryption-sse-s3.json",
        "--endpoint",
        endpoint,
      ],
      code: 2,
    },
    {
      name: "s3:// URL with --requester-pays alone asks for --policy",
      argv: () => ["s3://acme-data-exchange/", "--requester-pays", "--endpoint", endpoint],
      code: 2,
    },
  ])("$name", async ({ argv, code }) => {
    const before = connections;

    const result = await runCli(["audit", ...argv(), "--format", "json"]);

    expect(result.code, result.stderr).toBe(code);
    expect(connections - before).toBe(0);
  });

  it("names the URL's bucket and delivery prefix in the offline audit", async () => {
    const argv = ["--for", "delivery", "s3://acme-data-exchange/results/"];
    const policy = ["--policy", "examples/s3/delivery-good.bucket-policy.json"];

    const result = await runCli(["audit", ...argv, ...policy, "--format", "json"]);

    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      buckets: { bucket: string; operations: { resource: string }[] }[];
    };
    expect(parsed.buckets[0]!.bucket).toBe("acme-data-exchange");
    expect(parsed.buckets[0]!.operations.map((op) => op.resource)).toContain(
      "arn:aws:s3:::acme-data-exchange/results/.nimble-connection-test",
    );
  });
});

describe("refuses, with exit 2 and one line naming the flags, what cannot be honoured", () => {
  it.each([
    {
      name: "--config with --policy (both named)",
      argv: ["--config", "examples/connections.yaml", "--policy", GOOD],
      names: ["--config", "--policy"],
    },
    {
      name: "--config with --iam-policy (both named)",
      argv: ["--config", "examples/connections.yaml", "--iam-policy", GCS_GOOD],
      names: ["--config", "--iam-policy"],
    },
    {
      name: "--config with a target URL",
      argv: ["--config", "examples/connections.yaml", "s3://acme-data-exchange/"],
      names: ["--config", "s3://acme-data-exchange/"],
    },
    {
      name: "--bucket naming another bucket than the URL",
      argv: ["s3://acme-data-exchange/", "--bucket", "other-bucket", "--policy", GOOD],
      names: ["--bucket", "s3://acme-data-exchange/"],
    },
    {
      name: "--member on an S3 audit",
      argv: ["--bucket", "acme-data-exchange", "--policy", GOOD, "--member", "user:a@b.c"],
      names: ["--member"],
    },
    {
      name: "a --member that is not a member",
      argv: [
        "--for",
        "delivery",
        "gs://acme-data-exchange/",
        "--iam-policy",
        GCS_GOOD,
        "--member",
        "nimble",
      ],
      names: ["--member"],
    },
    {
      name: "--policy on a gs:// audit",
      argv: ["--for", "delivery", "gs://acme-data-exchange/", "--policy", GOOD],
      names: ["--policy"],
    },
    {
      name: "--encryption on a gs:// audit",
      argv: ["gs://acme-data-exchange/", "--iam-policy", GCS_GOOD, "--encryption", FOO],
      names: ["--encryption"],
    },
    {
      name: "--prefix for Jobs",
      argv: ["--bucket", "acme-data-exchange", "--policy", GOOD, "--prefix", "results/"],
      names: ["--prefix"],
    },
    {
      name: "--input-prefix for delivery",
      argv: ["--for", "delivery", "--bucket", "acme-data-exchange", "--policy", GOOD],
      extra: ["--input-prefix", "input/"],
      names: ["--input-prefix"],
    },
    {
      name: "--input-prefix on a gs:// audit",
      argv: ["gs://acme-data-exchange/", "--iam-policy", GCS_GOOD, "--input-prefix", "in/"],
      names: ["--input-prefix"],
    },
  ])("$name", async ({ argv, extra, names }) => {
    const result = await runCli(["audit", ...argv, ...(extra ?? [])]);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    for (const name of names) expect(result.stderr).toContain(name);
  });
});

describe("refuses files that are not of their flag's documented shape", () => {
  const s3 = ["--bucket", "acme-data-exchange", "--policy", GOOD];
  it.each([
    {
      name: "--encryption without ServerSideEncryptionConfiguration.Rules or Rules",
      argv: [...s3, "--encryption", FOO],
      path: "Rules",
    },
    {
      name: "--encryption whose rule has no SSEAlgorithm (required by GetBucketEncryption)",
      json: '{"Rules": [{"ApplyServerSideEncryptionByDefault": {}}]}',
      argv: [...s3, "--encryption", "-"],
      path: "Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm",
    },
    {
      name: "--key-metadata without KeyId (required in DescribeKey's KeyMetadata)",
      argv: [...s3, "--key-metadata", FOO],
      path: "KeyId",
    },
    {
      name: "--iam-policy given an S3 bucket policy",
      argv: ["--for", "delivery", "gs://acme-data-exchange/", "--iam-policy", GOOD],
      path: "Version: is an AWS policy element",
    },
    {
      name: "--iam-policy with a field a GCS IAM policy does not have",
      argv: ["--for", "delivery", "gs://acme-data-exchange/", "--iam-policy", FOO],
      path: "foo: is not a field",
    },
    {
      name: "--iam-policy of an empty object (no bindings, no etag)",
      json: "{}",
      argv: ["--for", "delivery", "gs://acme-data-exchange/", "--iam-policy", "-"],
      path: "bindings",
    },
    {
      name: "--iam-policy whose binding has no members",
      json: '{"bindings": [{"role": "roles/storage.objectCreator"}]}',
      argv: ["--for", "delivery", "gs://acme-data-exchange/", "--iam-policy", "-"],
      path: "bindings[0].members",
    },
    {
      name: "--bucket-metadata that is not bucket metadata",
      argv: ["gs://acme-data-exchange/", "--iam-policy", GCS_GOOD, "--bucket-metadata", FOO],
      path: "--bucket-metadata",
    },
  ])("$name", async ({ argv, json, path }) => {
    const result = await runCliWithStdin(["audit", ...argv], json);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(argv[argv.length - 2]!);
    expect(result.stderr).toContain(json === undefined ? argv[argv.length - 1]! : "stdin");
    expect(result.stderr).toContain(path);
  });
});

describe("audit --help", () => {
  it.each(AUDIT_EXAMPLES.filter((example) => example.offline))(
    "example `$command` runs as it is and passes",
    async ({ command }) => {
      const result = await runCli(["audit", ...command.split(" ")]);

      expect(result.code, result.stdout).toBe(0);
    },
  );
});

async function runCliWithStdin(argv: string[], stdin: string | undefined) {
  if (stdin === undefined) return runCli(argv);
  const { main } = await import("../../src/cli/main.js");
  const { testIo } = await import("./cli-support.js");
  const io = testIo();
  const readFile = io.readInput;
  io.readInput = (path) => (path === "-" ? Promise.resolve(stdin) : readFile(path));

  const code = await main(argv, io);
  return { code, stdout: io.out, stderr: io.err };
}
