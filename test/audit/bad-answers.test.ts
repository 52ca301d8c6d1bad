import { createServer } from "node:http";
import type { Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "./cli-support.js";

/**
 * A live audit whose server answers with something that is not what the API documents (an HTML
 * login page from a proxy, an empty 200, a policy with a key given twice) reports
 * AUDIT-COULD-NOT-READ with the cause and exits 1: exit 2 is for the user's own input only.
 * GetBucketPolicy's 200 answer carries the policy JSON as its body.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
 */

const HTML = "<html><body>Please log in</body></html>";
const DUPLICATE_EFFECT =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow",' +
  '"Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::acme-data-exchange/*"}]}';

/** What the test server answers to a GetBucketPolicy (`?policy`) request; everything else: HTML. */
let policyBody = HTML;
let server: Server;
let endpoint = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    const isPolicy = /[?&]policy(=|&|$)/.test(request.url ?? "");
    response.writeHead(200, { "content-type": isPolicy ? "application/json" : "text/html" });
    response.end(isPolicy ? policyBody : HTML);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

afterEach(() => vi.unstubAllEnvs());

async function liveAudit(target: string, flags: string[]) {
  vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
  vi.stubEnv("AWS_MAX_ATTEMPTS", "1");
  return runCli(["audit", target, ...flags, "--format", "json"]);
}

interface JsonAudit {
  buckets: {
    operations: unknown[];
    findings: { id: string; message: string }[];
    predictedChips: Record<string, string>;
    chipsUnknownBecause?: string;
  }[];
}

describe("S3: a bad answer is a could-not-read finding, exit 1", () => {
  it.each([
    {
      name: "GetBucketPolicy answers an HTML page",
      body: HTML,
      cause: "the answer is not a policy: invalid JSON at line 1 column 1",
    },
    {
      name: "GetBucketPolicy answers 200 with an empty body",
      body: "",
      cause: "the answer is empty",
    },
    {
      name: "GetBucketPolicy answers a policy with Effect given twice",
      body: DUPLICATE_EFFECT,
      cause: '"Effect" is given twice in the same object',
    },
  ])("$name", async ({ body, cause }) => {
    policyBody = body;

    const result = await liveAudit("s3://acme-data-exchange/", [
      "--endpoint",
      endpoint,
      "--path-style",
    ]);

    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe("");
    const audit = (JSON.parse(result.stdout) as JsonAudit).buckets[0]!;
    const policyRead = audit.findings.find(
      (f) => f.id === "AUDIT-COULD-NOT-READ" && f.message.includes("s3:GetBucketPolicy"),
    );
    expect(policyRead?.message).toContain(cause);
    expect(audit.operations).toEqual([]);
    expect(audit.predictedChips).toEqual({ read: "unknown", write: "unknown" });
  });
});

describe("GCS: a bad getIamPolicy answer is a could-not-read finding, exit 1", () => {
  // getIamPolicy answers a Policy resource (bindings, etag, version) as JSON.
  // @see https://cloud.google.com/storage/docs/json_api/v1/buckets/getIamPolicy
  it("an HTML page instead of the policy", async () => {
    const result = await liveAudit("gs://acme-data-exchange/results/", [
      "--for",
      "delivery",
      "--gcs-endpoint",
      endpoint,
    ]);

    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe("");
    const audit = (JSON.parse(result.stdout) as JsonAudit).buckets[0]!;
    const ids = audit.findings.map((f) => f.id);
    expect(ids).toContain("AUDIT-COULD-NOT-READ");
    const policyRead = audit.findings.find((f) => f.message.includes("getIamPolicy"));
    expect(policyRead?.message).toContain("the answer is not an IAM policy: must be a JSON object");
    expect(audit.predictedChips).toEqual({ write: "unknown" });
    expect(audit.chipsUnknownBecause).toContain("could not be read");
  });
});

describe("a key given twice in a file the audit reads is the user's input error, exit 2", () => {
  it.each([
    { flag: "--policy", file: "test/audit/fixtures/duplicate-effect.bucket-policy.json" },
    { flag: "--key-policy", file: "test/audit/fixtures/duplicate-effect.bucket-policy.json" },
  ])("$flag", async ({ flag, file }) => {
    const base = [
      "audit",
      "--bucket",
      "acme-data-exchange",
      "--policy",
      "examples/s3/jobs-good.bucket-policy.json",
    ];
    const argv = flag === "--policy" ? [...base.slice(0, 3), flag, file] : [...base, flag, file];

    const result = await runCli(argv);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      new RegExp(`${flag} .*line \\d+ column \\d+: "Effect" is given twice`),
    );
  });

  it("--iam-policy", async () => {
    const result = await runCli([
      "audit",
      "--for",
      "delivery",
      "gs://acme-data-exchange/results/",
      "--iam-policy",
      "test/gcs/fixtures/duplicate-role.iam-policy.json",
    ]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--iam-policy.*"role" is given twice/);
  });
});
