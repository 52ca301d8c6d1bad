import { describe, expect, it } from "vitest";
import type { PolicyExample } from "../../src/cli/commands/policy-examples.js";
import {
  EXAMPLE_WIDTH,
  GCS_EXAMPLES,
  KMS_EXAMPLES,
  POLICY_EXAMPLES,
  S3_EXAMPLES,
  exampleLine,
} from "../../src/cli/commands/policy-examples.js";
import { main } from "../../src/cli/main.js";
import { fakeIo } from "./support.js";

/** The files the examples name, as `aws s3api get-bucket-policy` / `aws kms get-key-policy` print. */
const FILES = {
  "policy.json": JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Analytics",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/analytics" },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::example-bucket/reports/*",
      },
    ],
  }),
  "key-policy.json": JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EnableIAMUserPermissions",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  }),
};

const cases = (help: string[], examples: readonly PolicyExample[]) =>
  examples.map((example) => ({ help, example, line: exampleLine(example) }));

const ALL = [
  ...cases(["policy", "s3", "--help"], S3_EXAMPLES),
  ...cases(["policy", "kms", "--help"], KMS_EXAMPLES),
  ...cases(["policy", "gcs", "--help"], GCS_EXAMPLES),
  ...cases(["policy", "--help"], POLICY_EXAMPLES),
];

/** The example as the user sees it: `$0` is the program's name. */
const shown = (line: string): string => line.replace("$0", "nimble-bucket");

describe("policy --help examples can be copied whole", () => {
  it.each(ALL)("$line fits an 80-column terminal on one line", ({ line }) => {
    expect(shown(line).length).toBeLessThanOrEqual(EXAMPLE_WIDTH);
  });

  it.each(ALL)("$line shows whole on one line of $help", async ({ help, line }) => {
    const io = fakeIo();

    await main(help, io);

    expect(io.out.split("\n").map((l) => l.trim())).toContain(shown(line));
  });

  it.each(ALL)("$line runs as written (exit 0, output on stdout)", async ({ example }) => {
    const io = fakeIo(FILES);
    const argv = example[0].split(" ").slice(1);

    const code = await main(argv, io);

    expect(code).toBe(0);
    expect(io.out).not.toBe("");
  });
});
