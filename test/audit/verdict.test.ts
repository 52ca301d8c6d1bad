import { describe, expect, it } from "vitest";
import type { OperationVerdict, Severity } from "../../src/audit/types.js";
import { isOperationFailing, reachesFailOn } from "../../src/audit/verdict.js";

describe("reachesFailOn", () => {
  it.each<{ severity: Severity; failOn: Severity; want: boolean }>([
    { severity: "error", failOn: "error", want: true },
    { severity: "warning", failOn: "error", want: false },
    { severity: "warning", failOn: "warning", want: true },
    { severity: "error", failOn: "warning", want: true },
    { severity: "info", failOn: "warning", want: false },
    { severity: "info", failOn: "info", want: true },
  ])("a finding of $severity with --fail-on $failOn fails: $want", ({ severity, failOn, want }) => {
    expect(reachesFailOn(severity, failOn)).toBe(want);
  });
});

describe("isOperationFailing", () => {
  const op = (
    decision: OperationVerdict["decision"],
    informational?: boolean,
  ): OperationVerdict => ({
    action: "s3:PutObject",
    resource: "arn:aws:s3:::b1/out/*",
    decision,
    dependsOn: [],
    statements: [],
    ...(informational === undefined ? {} : { informational }),
  });

  it.each([
    { name: "an allowed operation passes", verdict: op("allowed"), want: false },
    { name: "an implicitly denied operation fails", verdict: op("implicitly-denied"), want: true },
    { name: "an explicitly denied operation fails", verdict: op("explicitly-denied"), want: true },
    { name: "an operation that depends fails", verdict: op("depends"), want: true },
    {
      name: "a denied informational operation passes",
      verdict: op("implicitly-denied", true),
      want: false,
    },
  ])("$name", ({ verdict, want }) => {
    expect(isOperationFailing(verdict)).toBe(want);
  });
});
