import { createServer } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "./cli-support.js";

/**
 * `--confirm-with-aws` through the CLI with a real IAM client whose endpoint
 * (AWS_ENDPOINT_URL_IAM) is a closed loopback port: the connection error becomes a finding and
 * the audit is printed. (A file of its own: aws-sdk-client-mock patches every IAMClient.)
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */

describe("audit --confirm-with-aws with IAM unreachable", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("prints the audit with the failure as a finding, not an unexpected error", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL_IAM", `http://127.0.0.1:${await closedPort()}`);
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    vi.stubEnv("AWS_MAX_ATTEMPTS", "1");

    const result = await runCli([
      "audit",
      "--bucket",
      "acme-data-exchange",
      "--policy",
      "examples/s3/jobs-good.bucket-policy.json",
      "--confirm-with-aws",
      "--format",
      "json",
    ]);

    expect(result.stderr).not.toContain("unexpected error");
    const audit = (
      JSON.parse(result.stdout) as { buckets: { findings: { id: string; message: string }[] }[] }
    ).buckets[0]!;
    const failed = audit.findings.find((f) => f.id === "AUDIT-AWS-CONFIRM-FAILED");
    expect(failed?.message, result.stdout).toMatch(/ECONNREFUSED/);
    // A warning is below the default --fail-on error, and every operation is allowed.
    expect(result.code).toBe(0);
  });
});

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === "object" && address ? address.port : 9;
}
