import { describe, expect, it } from "vitest";
import {
  couldNotRead,
  messageWithoutSource,
  runGuarded,
  severityOf,
} from "../../src/audit/run-checks.js";
import { GCS_CHECKS } from "../../src/gcs/checks.js";
import { NimbleError } from "../../src/errors.js";

describe("severityOf", () => {
  it.each([
    {
      name: "an S3 id takes the S3 registry's severity",
      id: "AUDIT-CHECK-FAILED",
      checks: undefined,
      want: "error",
    },
    {
      name: "a GCS id takes the GCS registry's severity",
      id: "GCS-CHECK-FAILED",
      checks: GCS_CHECKS,
      want: "warning",
    },
    {
      name: "an unknown id is an error in the S3 registry",
      id: "NO-SUCH-ID",
      checks: undefined,
      want: "error",
    },
    {
      name: "an unknown id is an error in the GCS registry",
      id: "NO-SUCH-ID",
      checks: GCS_CHECKS,
      want: "error",
    },
  ])("$name", ({ id, checks, want }) => {
    expect(severityOf(id, checks)).toBe(want);
  });
});

describe("messageWithoutSource", () => {
  it.each([
    {
      name: "strips the leading source",
      message: "policy.json: Statement[0]: bad",
      want: "Statement[0]: bad",
    },
    {
      name: "keeps a message naming another source",
      message: "other.json: bad",
      want: "other.json: bad",
    },
    {
      name: "keeps the source named later in the message",
      message: "bad policy.json: x",
      want: "bad policy.json: x",
    },
  ])("$name", ({ message, want }) => {
    expect(messageWithoutSource(new NimbleError("E_INPUT", message), "policy.json")).toBe(want);
  });
});

describe("runGuarded", () => {
  it("returns the check's findings when it does not throw", () => {
    expect(
      runGuarded(
        () => ["a", "b"],
        (reason) => `failed: ${reason}`,
      ),
    ).toEqual(["a", "b"]);
  });

  it("turns a throw into the one failed-check finding carrying the message", () => {
    const run = (): string[] => {
      throw new Error("boom");
    };
    expect(runGuarded(run, (reason) => `failed: ${reason}`)).toEqual(["failed: boom"]);
  });
});

describe("couldNotRead", () => {
  it("names what, the bucket and why, located at the bucket", () => {
    expect(couldNotRead("the bucket policy", "s3://b1", "AccessDenied")).toEqual({
      id: "AUDIT-COULD-NOT-READ",
      severity: severityOf("AUDIT-COULD-NOT-READ"),
      message: "could not read the bucket policy of s3://b1: AccessDenied",
      location: { source: "s3://b1" },
    });
  });
});
