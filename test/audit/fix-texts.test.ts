import { describe, expect, it } from "vitest";
import { GCS_CHECKS } from "../../src/gcs/checks.js";
import { runCli } from "./cli-support.js";

/**
 * Each finding's fix line fits its use and its cause: a Deny is narrowed (an Allow cannot beat
 * an explicit Deny), a missing grant is added with the merge command of the policy that lacks it
 * (bucket or key), and delivery's only prefix is its storage_url prefix.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

const FIXTURES = "test/audit/fixtures/";

interface JsonFinding {
  id: string;
  message: string;
  fix: string | null;
}

async function findings(argv: string[]): Promise<JsonFinding[]> {
  const result = await runCli(["audit", ...argv, "--format", "json"]);
  return (JSON.parse(result.stdout) as { buckets: { findings: JsonFinding[] }[] }).buckets[0]!
    .findings;
}

describe("S3-OPERATION-DENIED's fix fits its cause", () => {
  it.each([
    {
      name: "an explicit Deny: narrow it, no merge command",
      argv: [
        "--bucket",
        "acme-data-exchange",
        "--policy",
        `${FIXTURES}deny-get-input.bucket-policy.json`,
      ],
      has: "Narrow the Deny Statement[4] (Sid DenyInputReads) of the bucket policy",
      hasNot: "--merge",
    },
    {
      name: "no bucket-policy grant: the policy s3 merge command, no Deny",
      argv: [
        "--bucket",
        "acme-data-exchange",
        "--policy",
        `${FIXTURES}no-read-input.bucket-policy.json`,
      ],
      has: "nimble-bucket policy s3 ... --merge command above",
      hasNot: "Deny",
    },
    {
      name: "no key-policy grant (KMS): the policy kms merge command, no Deny",
      argv: [
        "--bucket",
        "acme-data-exchange",
        "--policy",
        "examples/s3/jobs-good.bucket-policy.json",
        "--encryption",
        "examples/s3/encryption-sse-kms.json",
        "--key-policy",
        `${FIXTURES}key-policy-decrypt-only.json`,
      ],
      has: "nimble-bucket policy kms ... --merge command above",
      hasNot: "Deny",
    },
  ])("$name", async ({ argv, has, hasNot }) => {
    const denied = (await findings(argv)).filter((f) => f.id === "S3-OPERATION-DENIED");

    expect(denied.length).toBeGreaterThan(0);
    for (const finding of denied) {
      expect(finding.fix).toContain(has);
      expect(finding.fix).not.toContain(hasNot);
    }
  });
});

describe("delivery's fix lines name its one prefix (the storage_url prefix)", () => {
  const argv = [
    "--for",
    "delivery",
    "--bucket",
    "acme-delivery",
    "--prefix",
    "nimble/results/",
    "--policy",
    `${FIXTURES}documented-delivery.bucket-policy.json`,
  ];

  it.each([
    {
      id: "S3-OBJECT-ACTIONS-WHOLE-BUCKET",
      fix: "Scope the Resource to arn:aws:s3:::acme-delivery/nimble/results/* (the storage_url prefix).",
    },
    {
      id: "S3-WRITE-OUTSIDE-OUTPUT",
      fix: "Limit s3:PutObject to arn:aws:s3:::acme-delivery/nimble/results/*.",
    },
  ])("$id", async ({ id, fix }) => {
    const finding = (await findings(argv)).find((f) => f.id === id);

    expect(finding?.fix).toBe(fix);
    expect(`${finding?.message} ${finding?.fix}`).not.toMatch(/input|OUTPUT/);
  });

  it("Jobs keep both prefixes in the scope fix", async () => {
    const finding = (
      await findings([
        "--bucket",
        "acme-data-exchange",
        "--policy",
        `${FIXTURES}star-resource.bucket-policy.json`,
      ])
    ).find((f) => f.id === "S3-OBJECT-ACTIONS-WHOLE-BUCKET");

    expect(finding?.fix).toBe(
      "Scope the Resource to arn:aws:s3:::acme-data-exchange/input/* (s3:GetObject) and " +
        "arn:aws:s3:::acme-data-exchange/output/* (read and write).",
    );
  });
});

describe("GCS-CREATE-BUCKET-WIDE speaks of delivery only", () => {
  it("the explanation names no input prefix; the fix names the bucket and prefix", async () => {
    const finding = (
      await findings([
        "--for",
        "delivery",
        "gs://acme-data-exchange/results/",
        "--iam-policy",
        "examples/gcs/delivery-good.iam-policy.json",
      ])
    ).find((f) => f.id === "GCS-CREATE-BUCKET-WIDE");

    expect(GCS_CHECKS.find((c) => c.id === "GCS-CREATE-BUCKET-WIDE")?.explanation).not.toMatch(
      /input/,
    );
    expect(finding?.fix).toContain(
      'resource.name.startsWith("projects/_/buckets/acme-data-exchange/objects/results/")',
    );
  });
});
