import yargs from "yargs";
import { describe, expect, it } from "vitest";
import {
  GCS_OPTIONS,
  KMS_OPTIONS,
  S3_OPTIONS,
  readGcsArgs,
  readKmsArgs,
  readS3Args,
} from "../../src/cli/commands/policy.js";
import type { OptionTable } from "../../src/cli/fast-args.js";
import { fastArgs } from "../../src/cli/fast-args.js";

/** The full yargs parse of the same flags, the reference the fast path must agree with. */
function yargsArgs(argv: string[], options: OptionTable): Record<string, unknown> {
  return yargs(argv)
    .options(options)
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new Error(message);
    })
    .parseSync();
}

describe("fastArgs agrees with yargs on plain invocations", () => {
  it.each([
    ["s3 defaults", ["--bucket", "example-bucket"]],
    [
      "s3 delivery, prefix, format",
      ["--for", "delivery", "--bucket", "b-1", "--prefix", "p/", "--format", "aws-cli"],
    ],
    ["s3 documented", ["--for=delivery", "--bucket=b-1", "--documented"]],
    [
      "s3 jobs prefixes and write",
      ["--bucket", "b-1", "--input-prefix", "in", "--output-prefix", "out", "--write", "p.json"],
    ],
    ["s3 merge from stdin", ["--bucket", "b-1", "--merge=-"]],
  ])("s3: %s", (_name, argv) => {
    const fast = fastArgs(argv, S3_OPTIONS);

    expect(fast).toBeDefined();
    expect(readS3Args(fast ?? {})).toEqual(readS3Args(yargsArgs(argv, S3_OPTIONS)));
  });

  it.each([
    ["kms account id stays a string", ["--account", "011122223333"]],
    [
      "kms delivery with region and key",
      ["--for", "delivery", "--region", "us-east-1", "--key", "alias/k"],
    ],
  ])("kms: %s", (_name, argv) => {
    const fast = fastArgs(argv, KMS_OPTIONS);

    expect(fast).toBeDefined();
    expect(readKmsArgs(fast ?? {})).toEqual(readKmsArgs(yargsArgs(argv, KMS_OPTIONS)));
    expect(readKmsArgs(fast ?? {}).account ?? "011122223333").toBe("011122223333");
  });

  it("gcs: prefix and format", () => {
    const argv = ["--bucket", "b-1", "--prefix", "p/", "--format", "terraform"];
    expect(readGcsArgs(fastArgs(argv, GCS_OPTIONS) ?? {})).toEqual(
      readGcsArgs(yargsArgs(argv, GCS_OPTIONS)),
    );
  });
});

describe("fastArgs leaves anything unusual to yargs", () => {
  it.each([
    ["--help", ["--bucket", "b-1", "--help"]],
    ["-h", ["-h"]],
    ["an unknown flag", ["--bucket", "b-1", "--colour"]],
    ["a missing required flag", ["--for", "jobs"]],
    ["a value outside the choices", ["--bucket", "b-1", "--format", "xml"]],
    ["a positional argument", ["--bucket", "b-1", "extra"]],
    ["a missing value at the end", ["--bucket", "b-1", "--output-prefix"]],
    ["a missing value before a flag", ["--format", "--bucket", "b-1"]],
    ["a repeated flag", ["--bucket", "a-1", "--bucket", "b-1"]],
  ])("returns undefined for %s", (_name, argv) => {
    expect(fastArgs(argv, S3_OPTIONS)).toBeUndefined();
  });

  it.each([
    ["--output-prefix at the end", ["--bucket", "b-1", "--output-prefix"], S3_OPTIONS],
    ["--for before a flag", ["--for", "--bucket", "b-1"], S3_OPTIONS],
    ["--key at the end", ["--key"], KMS_OPTIONS],
    ["--format at the end", ["--bucket", "b-1", "--format"], GCS_OPTIONS],
  ])("yargs, given the same tables, also refuses %s", (_name, argv, options) => {
    expect(() => yargsArgs(argv, options)).toThrow(/Not enough arguments following/);
  });
});
