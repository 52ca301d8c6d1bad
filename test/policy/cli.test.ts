import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readGcsArgs, readKmsArgs, readS3Args } from "../../src/cli/commands/policy.js";
import { main } from "../../src/cli/main.js";
import { s3BucketPolicy } from "../../src/policy/generate/s3.js";
import { fakeIo } from "./support.js";

const customer = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "NoVendorWrites",
      Effect: "Deny",
      Principal: { AWS: "arn:aws:iam::744254827463:root" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::example-bucket/*",
    },
    {
      Sid: "OfficeOnly",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::example-bucket/*",
      Condition: { NotIpAddress: { "aws:SourceIp": "192.0.2.0/24" } },
    },
  ],
});

describe("argv in, options out", () => {
  it.each([
    [
      "s3 defaults",
      { for: "jobs", bucket: "b-1", format: "json" },
      { use: "jobs", bucket: "b-1", documented: false, format: "json" },
    ],
    [
      "s3 delivery with prefix and write",
      { for: "delivery", bucket: "b-1", prefix: "p/", format: "terraform", write: "out.tf" },
      { use: "delivery", bucket: "b-1", prefix: "p/", format: "terraform", write: "out.tf" },
    ],
  ])("reads %s", (_name, args, expected) => {
    expect(readS3Args(args)).toMatchObject(expected);
  });

  it.each([
    ["--prefix with --for jobs", { for: "jobs", bucket: "b-1", prefix: "p/" }, "--prefix"],
    [
      "--documented with --for jobs",
      { for: "jobs", bucket: "b-1", documented: true },
      "--documented",
    ],
    [
      "--input-prefix with --for delivery",
      { for: "delivery", bucket: "b-1", "input-prefix": "i/" },
      "--input-prefix",
    ],
    ["a repeated --bucket", { for: "jobs", bucket: ["a-1", "b-1"] }, "--bucket"],
  ])("refuses %s", (_name, args, field) => {
    expect(() => readS3Args(args)).toThrow(new RegExp(`^${field}: `));
  });

  it("reads kms flags and refuses --account with --merge", () => {
    expect(
      readKmsArgs({ for: "delivery", region: "us-east-1", "key-manager": "AWS" }),
    ).toMatchObject({ use: "delivery", region: "us-east-1", keyManager: "AWS" });
    expect(() => readKmsArgs({ for: "jobs", merge: "-", account: "111122223333" })).toThrow(
      /^--account: /,
    );
  });

  it("reads gcs flags", () => {
    expect(readGcsArgs({ bucket: "b-1", prefix: "p/", format: "gcloud" })).toEqual({
      bucket: "b-1",
      prefix: "p/",
      member: undefined,
      format: "gcloud",
      write: undefined,
    });
  });
});

describe("nimble-bucket policy", () => {
  it("prints the jobs policy on stdout and a replace note on stderr", async () => {
    const io = fakeIo();

    expect(await main(["policy", "s3", "--bucket", "example-bucket"], io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual(s3BucketPolicy({ use: "jobs", bucket: "example-bucket" }));
    expect(io.err).toMatch(/replaces the bucket's current policy/);
  });

  it.each([
    ["a malformed bucket", "--bucket", ["policy", "s3", "--bucket", "Bad_Bucket"]],
    [
      "a '*' prefix",
      "--input-prefix",
      ["policy", "s3", "--bucket", "b-1", "--input-prefix", "in*/"],
    ],
    [
      "a '$' delivery prefix",
      "--prefix",
      ["policy", "s3", "--for", "delivery", "--bucket", "b-1", "--prefix", "$x/"],
    ],
    [
      "an unknown principal",
      "--principal",
      ["policy", "s3", "--bucket", "b-1", "--principal", "nimble"],
    ],
    ["a missing --bucket", "bucket", ["policy", "s3"]],
    ["an unknown format", "format", ["policy", "s3", "--bucket", "b-1", "--format", "xml"]],
    [
      "an unknown flag",
      "input-prefix",
      ["policy", "gcs", "--bucket", "b-1", "--input-prefix", "x/"],
    ],
    ["an AWS managed key", "--key", ["policy", "kms", "--key", "alias/aws/s3"]],
    ["a short account id", "--account", ["policy", "kms", "--account", "1234"]],
    ["a GCS bucket starting with goog", "--bucket", ["policy", "gcs", "--bucket", "goog-x"]],
    [
      "a missing --merge file",
      "--merge",
      ["policy", "s3", "--bucket", "b-1", "--merge", "nope.json"],
    ],
    [
      "broken --merge JSON",
      "broken.json: invalid JSON at line 2 column",
      ["policy", "s3", "--bucket", "b-1", "--merge", "broken.json"],
    ],
    [
      "a --merge file of the wrong shape",
      'shape.json: Statement[0].Effect must be "Allow" or "Deny"',
      ["policy", "s3", "--bucket", "b-1", "--merge", "shape.json"],
    ],
  ])("exits 2 for %s, naming %s, with nothing on stdout", async (_name, field, argv) => {
    const io = fakeIo({
      "broken.json": '{"Statement": [\n  {"Effect": "Allow",, }]}',
      "shape.json": '{"Statement": {"Effect": "allow", "Action": "s3:GetObject"}}',
    });

    expect(await main(argv, io)).toBe(2);
    expect(io.out).toBe("");
    expect(io.err).toContain(field);
    expect(io.err.trim().split("\n")).toHaveLength(1);
  });

  it("merges stdin (--merge -) and warns about each Deny that blocks Nimble", async () => {
    const io = fakeIo({ "-": customer });
    const argv = ["policy", "s3", "--bucket", "example-bucket", "--merge", "-"];

    expect(await main(argv, io)).toBe(0);
    const merged = JSON.parse(io.out) as { Statement: { Sid: string }[] };
    expect(merged.Statement.map((s) => s.Sid)).toEqual([
      "NoVendorWrites",
      "OfficeOnly",
      "NimbleListBucket",
      "NimbleReadInputPrefix",
      "NimbleReadWriteOutputPrefix",
    ]);
    // An explicit Deny overrides any Allow; a Deny on an unknown key (aws:SourceIp) may apply.
    // @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
    expect(io.err).toMatch(
      /PutObject\(output\/\*\) \(s3:PutObject\) is explicitly denied by Statement\[0\] \(Sid NoVendorWrites\)/,
    );
    expect(io.err).toMatch(
      /GetObject\(input\/\*\) \(s3:GetObject\) may be denied by Statement\[1\]\.Condition \(Sid OfficeOnly\), depending on aws:SourceIp/,
    );
  });

  it("merges a key policy and leaves the customer's statements", async () => {
    const keyPolicy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Owner",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    });
    const io = fakeIo({ "key.json": keyPolicy });

    expect(await main(["policy", "kms", "--for", "delivery", "--merge", "key.json"], io)).toBe(0);
    const merged = JSON.parse(io.out) as { Statement: unknown[] };
    expect(merged.Statement[0]).toEqual((JSON.parse(keyPolicy) as typeof merged).Statement[0]);
    expect(merged.Statement).toHaveLength(2);
  });

  it("prints the KMS statement alone and says where it goes", async () => {
    const io = fakeIo();

    expect(await main(["policy", "kms", "--for", "delivery"], io)).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ Sid: "NimbleKMSAccess", Resource: "*" });
    expect(io.err).toMatch(/add this statement to the Statement list/);
  });

  it("warns on stderr about uniform bucket-level access and overwrites for a GCS prefix", async () => {
    const io = fakeIo();

    expect(await main(["policy", "gcs", "--bucket", "example-bucket", "--prefix", "r/"], io)).toBe(
      0,
    );
    expect(io.err).toMatch(/uniform bucket-level access/);
    expect(io.err).toMatch(/cannot overwrite|not overwrite/);
    expect(io.out).not.toMatch(/warning/);
  });

  it("shows an example in --help of every policy command", async () => {
    for (const provider of ["s3", "kms", "gcs"]) {
      const io = fakeIo();
      expect(await main(["policy", provider, "--help"], io)).toBe(0);
      expect(io.out).toMatch(/Examples:\n\s+nimble-bucket policy /);
    }
  });
});

describe("--write", () => {
  it("writes the file atomically and prints nothing on stdout", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nb-cli-"));
    const target = join(dir, "policy.json");
    const io = fakeIo();

    expect(await main(["policy", "s3", "--bucket", "example-bucket", "--write", target], io)).toBe(
      0,
    );
    expect(io.out).toBe("");
    expect(JSON.parse(await readFile(target, "utf8"))).toEqual(
      s3BucketPolicy({ use: "jobs", bucket: "example-bucket" }),
    );
  });

  it.each([
    ["a bad prefix", ["--input-prefix", "a?b/"]],
    ["a merge that exceeds 20 KB", ["--merge", "big.json"]],
  ])("leaves the target untouched after %s", async (_name, extra) => {
    const dir = await mkdtemp(join(tmpdir(), "nb-cli-"));
    const target = join(dir, "policy.json");
    await writeFile(target, "previous\n");
    const big = {
      Statement: Array.from({ length: 200 }, (_, i) => ({
        Sid: `Customer${i}`,
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:::example-bucket/team-${i}/*`,
      })),
    };
    const io = fakeIo({ "big.json": JSON.stringify(big) });
    const argv = ["policy", "s3", "--bucket", "example-bucket", "--write", target, ...extra];

    expect(await main(argv, io)).toBeGreaterThan(0);
    expect(await readFile(target, "utf8")).toBe("previous\n");
    expect(io.out).toBe("");
  });
});
