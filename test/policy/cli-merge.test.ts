import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { kmsKeyStatements } from "../../src/policy/generate/kms.js";
import { s3BucketPolicy } from "../../src/policy/generate/s3.js";
import { fakeIo } from "./support.js";

const JOBS = "arn:aws:iam::744254827463:user/crawlit-scrapy";
const s3Merge = ["policy", "s3", "--bucket", "example-bucket", "--merge", "-"];

/** Makes a FIFO (named pipe) with mkfifo(1) and returns its path. */
function mkfifo(path: string): string {
  execFileSync("mkfifo", [path]);
  return path;
}

/** Runs argv with `stdin` as standard input. */
async function run(argv: string[], stdin?: string) {
  const io = fakeIo(stdin === undefined ? {} : { "-": stdin });
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err, lines: io.err.trim().split("\n") };
}

const policyText = (statements: object[]): string =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });

const listBucket = {
  Sid: "NimbleListBucket",
  Effect: "Allow",
  Principal: { AWS: JOBS },
  Action: "s3:ListBucket",
  Resource: "arn:aws:s3:::example-bucket",
};

describe("policy s3 --merge refuses input it cannot merge safely (exit 2, one line)", () => {
  it.each([
    [
      "two statements with Sid NimbleListBucket (the second a customer Deny)",
      policyText([
        listBucket,
        {
          Sid: "NimbleListBucket",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:DeleteObject",
          Resource: "arn:aws:s3:::example-bucket/*",
        },
      ]),
      /^nimble-bucket: --merge: Statement\[1\]\.Sid "NimbleListBucket" repeats Statement\[0\]\.Sid/,
    ],
    [
      "a customer Deny with Nimble's Sid",
      policyText([{ ...listBucket, Effect: "Deny" }]),
      /^nimble-bucket: --merge: Statement\[0\]\.Sid "NimbleListBucket" is a Deny/,
    ],
    [
      "a customer statement granting crawlit-scrapy s3:DeleteObject and s3:*",
      policyText([
        {
          Sid: "Other",
          Effect: "Allow",
          Principal: { AWS: JOBS },
          Action: ["s3:DeleteObject", "s3:*"],
          Resource: "arn:aws:s3:::example-bucket/*",
        },
      ]),
      /^nimble-bucket: --merge: Statement\[0\] \(Sid Other\) could let Nimble s3:Delete\* on bucket example-bucket .*remove that grant and merge again$/,
    ],
    [
      "Nimble's Sid on a customer's Allow to another account",
      policyText([{ ...listBucket, Principal: { AWS: "arn:aws:iam::111122223333:root" } }]),
      /^nimble-bucket: --merge: Statement\[0\]\.Sid "NimbleListBucket" is one of Nimble's Sids .*rename its Sid and merge again$/,
    ],
    [
      "a number JSON.parse would rewrite (1.50)",
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", ' +
        '"Action": "s3:*", "Resource": "*", "Condition": {"NumericLessThan": {"s3:TlsVersion": 1.50}}}]}',
      /^nimble-bucket: stdin: invalid JSON at line 1 column \d+/,
    ],
    [
      "a key given twice in one statement",
      '{"Statement": [{"Effect": "Allow", "Effect": "Deny", "Principal": "*", ' +
        '"Action": "s3:GetObject", "Resource": "*"}]}',
      /^nimble-bucket: stdin: invalid JSON at line 1 column \d+/,
    ],
  ])("for %s", async (_name, stdin, message) => {
    const { code, out, lines } = await run(s3Merge, stdin);

    expect(code).toBe(2);
    expect(out).toBe("");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it("refuses a key policy granting webit-uploader kms:* (exit 2, naming --merge)", async () => {
    const keyPolicy = policyText([
      {
        Sid: "Vendor",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::744254827463:user/webit-uploader" },
        Action: "kms:*",
        Resource: "*",
      },
    ]);
    const { code, out, lines } = await run(
      ["policy", "kms", "--for", "delivery", "--merge", "-"],
      keyPolicy,
    );

    expect(code).toBe(2);
    expect(out).toBe("");
    expect(lines).toEqual([expect.stringMatching(/^nimble-bucket: --merge: .*\(Sid Vendor\)/)]);
  });
});

// `aws s3api get-bucket-policy` prints nothing to stdout when the bucket has no policy (it fails
// with NoSuchBucketPolicy), so empty input means "no existing policy".
// @see https://docs.aws.amazon.com/cli/latest/reference/s3api/get-bucket-policy.html
describe("empty --merge input is no existing policy", () => {
  it.each([
    ["nothing", ""],
    ["white space and a newline", "  \n\t\n"],
  ])("s3: %s gives Nimble's policy and one note", async (_name, stdin) => {
    const { code, out, lines } = await run(s3Merge, stdin);

    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(s3BucketPolicy({ use: "jobs", bucket: "example-bucket" }));
    expect(lines).toEqual([
      expect.stringMatching(/^note: stdin is empty: no existing bucket policy/),
    ]);
  });

  it("kms: gives Nimble's statement in a policy and one note", async () => {
    const { code, out, lines } = await run(
      [
        "policy",
        "kms",
        "--for",
        "delivery",
        "--merge",
        "-",
        "--key",
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      ],
      "\n",
    );

    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      Version: "2012-10-17",
      Statement: kmsKeyStatements({ use: "delivery" }),
    });
    expect(lines).toEqual([expect.stringMatching(/^note: stdin is empty: no existing key policy/)]);
  });
});

describe("policy kms --merge without a key ARN", () => {
  it.each([
    ["no --key", []],
    ["an alias", ["--key", "alias/data"]],
    ["a key id", ["--key", "1234abcd-12ab-34cd-56ef-1234567890ab"]],
  ])("says the Deny check needs a full key ARN when given %s", async (_name, key) => {
    const owner = policyText([
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "kms:*",
        Resource: "*",
      },
    ]);
    const { code, err } = await run(["policy", "kms", "--merge", "-", ...key], owner);

    expect(code).toBe(0);
    expect(err).toMatch(/needs a full key ARN \(--key arn:aws:kms:REGION:ACCOUNT:key\/ID\)/);
  });
});

describe("the header comment of each format", () => {
  it.each(["terraform", "cloudformation", "aws-cli"])(
    "%s: says to use --merge without it, and that the policy came from --merge with it",
    async (format) => {
      const plain = await run(["policy", "s3", "--bucket", "example-bucket", "--format", format]);
      const merged = await run([...s3Merge, "--format", format], policyText([listBucket]));

      expect(plain.out).toMatch(/^# .* generate with --merge to keep the$/m);
      expect(merged.out).not.toMatch(/generate with --merge/);
      expect(merged.out).toMatch(/^# .* this one is the bucket's policy as$/m);
      expect(merged.out).toMatch(/^# given to --merge, with Nimble's statements added/m);
    },
  );
});

// Replacing an existing object needs storage.objects.delete, whatever the condition.
// @see https://cloud.google.com/storage/docs/access-control/iam-roles
// IAM Conditions on a bucket need uniform bucket-level access.
// @see https://cloud.google.com/storage/docs/uniform-bucket-level-access
describe("policy gcs warnings", () => {
  it.each([
    ["without --prefix", [], false],
    ["with --prefix", ["--prefix", "r/"], true],
  ])(
    "%s: the overwrite warning always, uniform access only with a condition",
    async (_n, extra, uniform) => {
      const { code, err } = await run(["policy", "gcs", "--bucket", "example-bucket", ...extra]);

      expect(code).toBe(0);
      expect(err).toMatch(/Storage Object Creator can create objects but not overwrite them/);
      expect(/uniform bucket-level access/.test(err)).toBe(uniform);
    },
  );
});

// An empty prefix is accepted (an input set at the bucket root is legitimate), but the object ARN
// becomes arn:aws:s3:::BUCKET/* and the grant covers every object: stderr says so, naming the flag.
// @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html
describe("an explicitly empty prefix", () => {
  const bucket = ["--bucket", "example-bucket"];
  it.each([
    ["--input-prefix=", ["policy", "s3", ...bucket, "--input-prefix="], "--input-prefix"],
    ["--output-prefix ''", ["policy", "s3", ...bucket, "--output-prefix", ""], "--output-prefix"],
    [
      "delivery --prefix=",
      ["policy", "s3", "--for", "delivery", ...bucket, "--prefix="],
      "--prefix",
    ],
    ["gcs --prefix=", ["policy", "gcs", ...bucket, "--prefix="], "--prefix"],
  ])("%s: accepted, with a warning naming the flag", async (_name, argv, flag) => {
    const { code, out, lines } = await run(argv);

    expect(code).toBe(0);
    expect(out).not.toBe("");
    expect(lines).toContain(
      `warning: ${flag} is empty: the grant covers every object in the bucket.`,
    );
  });

  it.each([
    ["the default prefixes", ["policy", "s3", ...bucket]],
    ["delivery without --prefix", ["policy", "s3", "--for", "delivery", ...bucket]],
  ])("%s: no such warning", async (_name, argv) => {
    const { code, err } = await run(argv);

    expect(code).toBe(0);
    expect(err).not.toMatch(/is empty/);
  });
});

describe("--write failures print the error line alone", () => {
  it.each([
    ["a directory", "dir"],
    ["a read-only file", "readonly"],
  ])("%s: exit 2 naming --write, no note lines, nothing written", async (_name, kind) => {
    const dir = await mkdtemp(join(tmpdir(), "nb-cli-"));
    const target = join(dir, "policy.json");
    if (kind === "dir") await mkdir(target);
    else await writeFile(target, "previous\n", { mode: 0o444 });
    const argv = [...s3Merge, "--write", target];

    const { code, out, lines } = await run(argv, policyText([listBucket]));

    expect(code).toBe(2);
    expect(out).toBe("");
    expect(lines).toEqual([expect.stringMatching(/^nimble-bucket: --write: /)]);
    if (kind === "readonly") expect(await readFile(target, "utf8")).toBe("previous\n");
  });

  it.each([
    ["an empty value (--write '')", () => "", /^nimble-bucket: --write: needs a value$/],
    [
      "a file in a missing directory",
      (dir: string) => join(dir, "nodir", "x.json"),
      /^nimble-bucket: --write: .*the directory .*nodir does not exist$/,
    ],
    ["a FIFO", (dir: string) => mkfifo(join(dir, "pipe")), /is not a regular file/],
  ])("%s: exit 2 naming --write, one line", async (_name, target, message) => {
    const dir = await mkdtemp(join(tmpdir(), "nb-cli-"));
    const argv = [...s3Merge, "--write", target(dir)];

    const { code, out, lines } = await run(argv, policyText([listBucket]));

    expect(code).toBe(2);
    expect(out).toBe("");
    expect(lines).toEqual([expect.stringMatching(message)]);
    expect(lines[0]).not.toMatch(/\.tmp/);
  });

  it("prints the merge note after the file is written", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nb-cli-"));
    const target = join(dir, "policy.json");

    const { code, lines } = await run([...s3Merge, "--write", target], policyText([listBucket]));

    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^merge: replaced Statement\[0\] \(NimbleListBucket\)/);
    expect(lines.at(-1)).toBe(`wrote ${target}`);
  });
});

describe("a merged policy over the size limit", () => {
  it("exits 2 naming --merge", async () => {
    const big = Array.from({ length: 200 }, (_, i) => ({
      Sid: `Customer${i}`,
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:root" },
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::example-bucket/team-${i}/*`,
    }));
    const { code, lines } = await run(s3Merge, policyText(big));

    expect(code).toBe(2);
    expect(lines).toEqual([
      expect.stringMatching(
        /^nimble-bucket: --merge: the merged S3 bucket policy would be \d+ bytes/,
      ),
    ]);
  });
});
