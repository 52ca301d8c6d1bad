import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assertWellFormedFlags } from "../../src/cli/fast-args.js";
import { S3_OPTIONS } from "../../src/cli/commands/policy.js";
import { main } from "../../src/cli/main.js";
import { catchError, fakeIo } from "./support.js";

/** Runs argv; returns exit code, stdout and stderr lines. */
async function run(argv: string[]): Promise<{ code: number; out: string; lines: string[] }> {
  const io = fakeIo();
  const code = await main(argv, io);
  return { code, out: io.out, lines: io.err.trim().split("\n") };
}

describe("a flag that takes a value, given without one", () => {
  it.each([
    ["--output-prefix at the end", ["policy", "s3", "--bucket", "b-1", "--output-prefix"]],
    [
      "--input-prefix followed by another flag",
      ["policy", "s3", "--input-prefix", "--bucket", "b-1"],
    ],
    ["--for at the end", ["policy", "s3", "--bucket", "b-1", "--for"]],
    ["--format followed by a flag", ["policy", "s3", "--format", "--bucket", "b-1"]],
    ["--write at the end", ["policy", "s3", "--bucket", "b-1", "--write"]],
    ["--merge followed by a flag", ["policy", "s3", "--merge", "--bucket", "b-1"]],
    ["--key at the end", ["policy", "kms", "--key"]],
    ["--prefix at the end (gcs)", ["policy", "gcs", "--bucket", "b-1", "--prefix"]],
  ])("exits 2 for %s, one line naming the flag", async (_name, argv) => {
    const flag = argv.find((arg, i) => arg.startsWith("--") && !argv[i + 1]?.match(/^[^-]/));
    const { code, out, lines } = await run(argv);

    expect(code).toBe(2);
    expect(out).toBe("");
    expect(lines).toEqual([`nimble-bucket: ${flag}: needs a value`]);
  });

  it.each([
    ["an explicit empty prefix (--output-prefix=)", ["--output-prefix="]],
    ["an empty argument (--output-prefix '')", ["--output-prefix", ""]],
    ["stdin (--merge=-)", ["--merge=-"]],
    ["a boolean flag last", ["--for", "delivery", "--documented"]],
  ])("accepts %s", (_name, flags) => {
    expect(() => assertWellFormedFlags(["--bucket", "b-1", ...flags], S3_OPTIONS)).not.toThrow();
  });
});

describe("a flag given more than once", () => {
  it.each([
    ["--bucket twice", ["policy", "s3", "--bucket", "a-1", "--bucket", "b-1"], "--bucket"],
    [
      "--format twice, once with =",
      ["policy", "gcs", "--bucket", "b-1", "--format=json", "--format", "gcloud"],
      "--format",
    ],
    [
      "--documented twice",
      ["policy", "s3", "--for", "delivery", "--bucket", "b-1", "--documented", "--documented"],
      "--documented",
    ],
    [
      "--output-prefix and --outputPrefix",
      ["policy", "s3", "--bucket", "b-1", "--output-prefix", "a/", "--outputPrefix", "b/"],
      "--output-prefix",
    ],
    [
      "--policy twice (audit)",
      ["audit", "--bucket", "b-1", "--policy", "a.json", "--policy", "b.json"],
      "--policy",
    ],
  ])("exits 2 for %s, one line naming the flag", async (_name, argv, flag) => {
    const { code, out, lines } = await run(argv);

    expect(code).toBe(2);
    expect(out).toBe("");
    expect(lines).toEqual([`nimble-bucket: ${flag}: given more than once`]);
  });

  it("lets a command declare a flag repeatable", () => {
    const flags = ["--read", "s3://a/x/", "--read", "s3://b/y/"];

    expect(() => assertWellFormedFlags(flags, {}, ["read"])).not.toThrow();
    expect(catchError(() => assertWellFormedFlags(flags, {})).field).toBe("--read");
  });
});

describe("policy kms --key", () => {
  // The forms KMS accepts for a key: key id, key ARN, alias name, alias ARN; a multi-Region key's
  // id is mrk- and 32 hex digits.
  // @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id
  // @see https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html
  it.each([
    ["a key id (UUID)", "1234abcd-12ab-34cd-56ef-1234567890ab"],
    ["a multi-Region key id", "mrk-1234abcd12ab34cd56ef1234567890ab"],
    ["a key ARN", "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
    [
      "a multi-Region key ARN",
      "arn:aws:kms:us-east-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
    ],
    ["an alias name", "alias/ExampleAlias"],
    ["an alias ARN", "arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias"],
    [
      "a GovCloud key ARN",
      "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ],
  ])("accepts %s", async (_name, key) => {
    expect((await run(["policy", "kms", "--key", key])).code).toBe(0);
  });

  it.each([
    ["a bare word", "foo"],
    ["a key id one digit short", "1234abcd-12ab-34cd-56ef-1234567890a"],
    ["mrk- with 31 hex digits", "mrk-1234abcd12ab34cd56ef1234567890a"],
    ["an alias without a name", "alias/"],
    ["an alias with a space", "alias/my key"],
    ["a key ARN without a key id", "arn:aws:kms:us-east-2:111122223333:key/"],
    ["an S3 ARN", "arn:aws:s3:::example-bucket"],
  ])("exits 2 for %s", async (_name, key) => {
    const { code, out, lines } = await run(["policy", "kms", "--key", key]);

    expect(code).toBe(2);
    expect(out).toBe("");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^nimble-bucket: --key: .* is not a KMS key id/);
  });
});

describe("nimble-bucket itself", () => {
  it("prints package.json's version for --version", async () => {
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    const { code, out } = await run(["--version"]);

    expect(code).toBe(0);
    expect(out).toBe(`${pkg.version}\n`);
  });

  it("shows examples in the top-level --help", async () => {
    const { code, out } = await run(["--help"]);

    expect(code).toBe(0);
    expect(out).toMatch(/Examples:\n\s+nimble-bucket policy s3 --bucket example-bucket/);
    expect(out).toMatch(/nimble-bucket probe --read s3:\/\/example-bucket\/ +Test a path/);
  });
});
