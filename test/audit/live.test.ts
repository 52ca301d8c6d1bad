import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutBucketRequestPaymentCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditS3 } from "../../src/audit/audit-s3.js";
import { readKeyPolicy, readS3AuditInput } from "../../src/audit/live-s3.js";
import { motoEndpoint, rgwEndpoint, RGW_USERS } from "../support/servers.js";
import { runCli } from "./cli-support.js";
import { fixture } from "./support.js";

/**
 * Live audits against the real servers: Ceph RGW for S3 bucket policies and settings, moto for
 * KMS key policies. RGW 16 answers GetBucketOwnershipControls and GetBucketEncryption without
 * the AWS configuration documents it does not implement, so ownership and SSE-KMS are tested
 * offline (cases.test.ts, cli.test.ts).
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

function s3As(user: keyof typeof RGW_USERS): S3Client {
  return new S3Client({
    endpoint: rgwEndpoint(),
    region: "us-east-1",
    forcePathStyle: true,
    credentials: RGW_USERS[user],
  });
}

const owner = () => s3As("owner");
const unique = (name: string) =>
  `${name}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;

async function bucketWithPolicy(policyFixture: string | undefined): Promise<string> {
  const bucket = unique("audit-live");
  await owner().send(new CreateBucketCommand({ Bucket: bucket }));
  if (policyFixture) {
    const policy = fixture(policyFixture).replaceAll("example-bucket", bucket);
    await owner().send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
  }
  return bucket;
}

describe("live S3 audit (RGW)", () => {
  it.skipIf(!rgwEndpoint())("reads the bucket policy and audits it as offline", async () => {
    const bucket = await bucketWithPolicy("c12-deny-outside-vpce.bucket-policy.json");

    const input = await readS3AuditInput({ use: "jobs", bucket }, { s3: owner() });
    const audit = auditS3(input);

    expect(input.bucketPolicy?.source).toBe(`bucket policy of s3://${bucket}`);
    expect(audit.findings.map((f) => f.id)).toContain("S3-DENY-VPC-ENDPOINT");
    expect(audit.findings.map((f) => f.id)).not.toContain("AUDIT-COULD-NOT-READ");
    expect(audit.predictedChips).toEqual({ read: "access-denied", write: "access-denied" });
  });

  it.skipIf(!rgwEndpoint())(
    "treats a bucket without a policy as granting Nimble nothing",
    async () => {
      const bucket = await bucketWithPolicy(undefined);

      const audit = auditS3(await readS3AuditInput({ use: "jobs", bucket }, { s3: owner() }));

      expect(audit.operations.every((op) => op.decision === "implicitly-denied")).toBe(true);
      expect(audit.findings.map((f) => f.id)).not.toContain("AUDIT-COULD-NOT-READ");
    },
  );

  it.skipIf(!rgwEndpoint())("reads Requester Pays", async () => {
    const bucket = await bucketWithPolicy("c06-key-without-decrypt.bucket-policy.json");
    await owner().send(
      new PutBucketRequestPaymentCommand({
        Bucket: bucket,
        RequestPaymentConfiguration: { Payer: "Requester" },
      }),
    );

    const audit = auditS3(await readS3AuditInput({ use: "jobs", bucket }, { s3: owner() }));

    expect(audit.findings.map((f) => f.id)).toContain("S3-REQUESTER-PAYS");
  });

  it.skipIf(!rgwEndpoint())(
    "turns reads the auditor may not make into findings, not a crash",
    async () => {
      const bucket = await bucketWithPolicy("c06-key-without-decrypt.bucket-policy.json");

      const audit = auditS3(await readS3AuditInput({ use: "jobs", bucket }, { s3: s3As("other") }));

      const unread = audit.findings.filter((f) => f.id === "AUDIT-COULD-NOT-READ");
      expect(unread.map((f) => f.message).join("\n")).toMatch(
        /could not read the bucket policy .*AccessDenied/,
      );
      expect(audit.operations).toEqual([]);
      expect(audit.predictedChips).toEqual({ read: "unknown", write: "unknown" });
    },
  );

  it.skipIf(!rgwEndpoint())("reports a missing bucket as the bucket-not-found chip", async () => {
    const audit = auditS3(
      await readS3AuditInput({ use: "jobs", bucket: unique("no-such") }, { s3: owner() }),
    );

    expect(audit.findings.map((f) => f.id)).toEqual(["S3-BUCKET-NOT-FOUND"]);
    expect(audit.predictedChips).toEqual({ read: "bucket-not-found", write: "bucket-not-found" });
  });
});

describe("live key policy (moto KMS)", () => {
  const ACCOUNT = "111122223333";

  /** A moto KMS client acting as the customer's account (x-moto-account-id, test-only). */
  function kmsAsCustomer(): KMSClient {
    const kms = new KMSClient({
      endpoint: motoEndpoint(),
      region: "us-east-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    kms.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        request.headers["x-moto-account-id"] = ACCOUNT;
        return next(args);
      },
      { step: "build", name: "motoAccount" },
    );
    return kms;
  }

  it.skipIf(!motoEndpoint())(
    "reads a customer key's policy and finds the missing Decrypt",
    async () => {
      const kms = kmsAsCustomer();
      const policy = fixture("c06-key-without-decrypt.key-policy.json");
      const created = await kms.send(new CreateKeyCommand({ Policy: policy }));
      const arn = created.KeyMetadata!.Arn!;

      const read = await readKeyPolicy(arn, { kms });
      const audit = auditS3({
        use: "jobs",
        bucket: "example-bucket",
        bucketPolicy: {
          document: JSON.parse(fixture("c06-key-without-decrypt.bucket-policy.json")) as never,
          source: "c06",
        },
        encryption: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: arn },
        ...read,
      });

      expect(read.failures).toEqual([]);
      expect(read.keyMetadata).toMatchObject({ Arn: arn, KeyManager: "CUSTOMER" });
      expect(read.keyPolicy?.document).toEqual(JSON.parse(policy));
      expect(audit.findings.map((f) => f.id)).toContain("KMS-MISSING-DECRYPT");
    },
  );

  it.skipIf(!motoEndpoint())("reports a key it cannot find as could-not-read", async () => {
    const kms = kmsAsCustomer();

    const read = await readKeyPolicy(
      `arn:aws:kms:us-east-1:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`,
      { kms },
    );

    expect(read.keyPolicy).toBeUndefined();
    expect(read.failures.map(([what]) => what).join("\n")).toContain("kms:DescribeKey");
  });
});

describe("live audit through the CLI (RGW)", () => {
  async function withOwnerCredentials<T>(run: () => Promise<T>): Promise<T> {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = RGW_USERS.owner.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = RGW_USERS.owner.secretAccessKey;
    try {
      return await run();
    } finally {
      restore("AWS_ACCESS_KEY_ID", saved.id);
      restore("AWS_SECRET_ACCESS_KEY", saved.secret);
    }
  }

  function restore(name: string, value: string | undefined): void {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }

  it.skipIf(!rgwEndpoint())("audits s3://BUCKET/ with --endpoint and --path-style", async () => {
    const bucket = await bucketWithPolicy("c12-deny-outside-vpce.bucket-policy.json");
    const endpoint = rgwEndpoint()!;

    const result = await withOwnerCredentials(() =>
      runCli([
        "audit",
        `s3://${bucket}/`,
        "--endpoint",
        endpoint,
        "--path-style",
        "--format",
        "json",
      ]),
    );

    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { buckets: { findings: { id: string }[] }[] };
    expect(parsed.buckets[0]!.findings.map((f) => f.id)).toContain("S3-DENY-VPC-ENDPOINT");
  });

  it.skipIf(!rgwEndpoint()).each([
    { isTty: true, progress: true },
    { isTty: false, progress: false },
  ])(
    "audits every connection of --config, in file order (isTty $isTty)",
    async ({ isTty, progress }) => {
      const good = await bucketWithPolicy("c15c-not-principal.bucket-policy.json");
      const bad = await bucketWithPolicy("c01-list-on-object-arn.bucket-policy.json");
      const dir = await mkdtemp(join(tmpdir(), "audit-config-"));
      const config = join(dir, "connections.yaml");
      await writeFile(
        config,
        [
          "connections:",
          `  - read: s3://${bad}/input/`,
          `    write: s3://${bad}/output/`,
          `  - read: s3://${good}/input/`,
          `    write: s3://${good}/output/`,
        ].join("\n"),
      );

      const result = await withOwnerCredentials(() =>
        runCli(
          [
            "audit",
            "--config",
            config,
            "--endpoint",
            rgwEndpoint()!,
            "--path-style",
            "--format",
            "json",
          ],
          {},
          isTty,
        ),
      );

      // Both of the 4 workers start before either bucket is done: "[0/2]" twice, then cleared
      const lines = progress
        ? ["", `[0/2] auditing s3://${bad}`, `[0/2] auditing s3://${good}`, ""]
        : [""];
      expect(result.stderr.split("\r\x1b[2K")).toEqual(lines);
      const parsed = JSON.parse(result.stdout) as {
        buckets: { bucket: string; findings: { id: string }[] }[];
      };
      expect(parsed.buckets.map((b) => b.bucket)).toEqual([bad, good]);
      expect(parsed.buckets[0]!.findings.map((f) => f.id)).toContain("S3-LIST-ON-OBJECT-ARN");
      expect(result.code).toBe(1);
    },
  );
});
