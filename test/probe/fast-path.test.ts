import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { capturedIo } from "../support/io.js";

/**
 * `main` runs a plain `probe` invocation without yargs: here yargs throws when loaded, so only
 * the fast path can succeed. Positional targets still need yargs, and reach it.
 */

vi.mock("yargs", () => ({
  default: () => {
    throw new Error("yargs was loaded");
  },
}));

describe("probe's fast path in main", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("probes --read URL without yargs (a closed loopback port: Connection failed, exit 1)", async () => {
    // test-only credentials, so the SDK never looks further (no metadata service is asked)
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test-only");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test-only");
    vi.stubEnv("AWS_PROFILE", "");
    const io = capturedIo();
    const argv = ["probe", "--read", "s3://b-1/in/", "--endpoint", "http://127.0.0.1:9"];

    const code = await main(
      [...argv, "--path-style", "--region", "us-east-1", "--format=json"],
      io,
    );

    expect([code, io.err]).toEqual([1, ""]);
    expect(JSON.parse(io.out)).toMatchObject({ results: [{ status: "connection-failed" }] });
  });

  it("reports a usage error of the fast path in one line, exit 2", async () => {
    const io = capturedIo();

    const code = await main(["probe", "--read", "s3://b-1/in/", "--concurrency", "1.5"], io);

    expect([code, io.out]).toEqual([2, ""]);
    expect(io.err).toMatch(/^nimble-bucket: --concurrency: must be a whole number/);
  });

  it("leaves positional targets to yargs", async () => {
    await expect(main(["probe", "s3://b-1/in/", "--read"], capturedIo())).rejects.toThrow(
      "yargs was loaded",
    );
  });
});
