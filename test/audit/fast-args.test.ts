import yargs from "yargs";
import { describe, expect, it } from "vitest";
import { AUDIT_OPTIONS } from "../../src/cli/commands/audit.js";
import { planAudit } from "../../src/cli/commands/audit-plan.js";
import { fastArgs } from "../../src/cli/fast-args.js";
import { testIo } from "./cli-support.js";

/**
 * The README's main job is an offline audit; plain invocations like it skip yargs (fast-args.ts).
 * Both parsers must give the same plan: argv in, plan out.
 */

const GOOD = [
  "--bucket",
  "acme-data-exchange",
  "--policy",
  "examples/s3/jobs-good.bucket-policy.json",
];

const io = testIo();

/** The full yargs parse of the same flags, the reference the fast path must agree with. */
function yargsArgs(argv: string[]): Record<string, unknown> {
  return yargs(argv).options(AUDIT_OPTIONS).strict().exitProcess(false).parseSync();
}

describe("audit: the fast path and yargs give the same plan", () => {
  it.each([
    ["the README's offline audit", GOOD],
    [
      "delivery with a prefix, JSON and --fail-on",
      [
        ...["--for", "delivery", "--bucket", "b-1", "--prefix", "results/"],
        ...["--policy", "examples/s3/delivery-good.bucket-policy.json"],
        ...["--format=json", "--fail-on", "warning"],
      ],
    ],
    [
      "SSE-KMS files, a number flag and booleans",
      [
        ...GOOD,
        ...["--encryption", "examples/s3/encryption-sse-kms.json"],
        ...["--key-policy", "examples/kms/key-policy-good.json", "--concurrency", "8"],
        ...["--object-lock", "--requester-pays", "--ownership", "ObjectWriter"],
      ],
    ],
    [
      "Jobs prefixes, endpoint flags and --confirm-with-aws",
      [
        ...GOOD,
        ...["--input-prefix", "in", "--output-prefix", "out/", "--region", "eu-west-1"],
        ...["--endpoint", "http://127.0.0.1:9", "--path-style"],
        ...["--confirm-with-aws", "--bucket-owner", "011122223333"],
      ],
    ],
  ])("%s", async (_name, argv) => {
    const fast = fastArgs(argv, AUDIT_OPTIONS);

    expect(fast).toBeDefined();
    expect(await planAudit(fast ?? {}, io)).toEqual(await planAudit(yargsArgs(argv), io));
  });

  it("keeps a 12-digit account id a string, and --concurrency a number", () => {
    const fast = fastArgs(
      [...GOOD, "--bucket-owner", "011122223333", "--concurrency", "8"],
      AUDIT_OPTIONS,
    );

    expect(fast).toMatchObject({ "bucket-owner": "011122223333", concurrency: 8 });
  });
});

describe("audit: anything unusual goes to yargs", () => {
  it.each([
    ["a live target (positional)", ["s3://acme-data-exchange/"]],
    ["--help", [...GOOD, "--help"]],
    ["an unknown flag", [...GOOD, "--colour"]],
    ["a format outside the choices", [...GOOD, "--format", "xml"]],
    ["a --fail-on outside the choices", [...GOOD, "--fail-on", "fatal"]],
  ])("%s", (_name, argv) => {
    expect(fastArgs(argv, AUDIT_OPTIONS)).toBeUndefined();
  });
});
