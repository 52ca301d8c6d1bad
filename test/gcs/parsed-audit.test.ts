import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { auditGcs, auditParsedGcs, parseGcsAuditInput } from "../../src/gcs/audit.js";
import type { GcsAuditInput } from "../../src/gcs/audit.js";
import { severityOf } from "../../src/audit/run-checks.js";

/**
 * auditGcs is the parsing edge: JSON in, then the typed audit. The typed audit of the parsed
 * input gives the same result, and a policy a live read could not get is audited as unread.
 * @see https://cloud.google.com/storage/docs/json_api/v1/buckets/getIamPolicy
 */

const FILE = "examples/gcs/delivery-good.iam-policy.json";
const iamPolicy = JSON.parse(
  readFileSync(new URL(`../../${FILE}`, import.meta.url), "utf8"),
) as unknown;
const base = { bucket: "acme-data-exchange", prefix: "results/", source: FILE };
const unreadFinding = {
  id: "AUDIT-COULD-NOT-READ",
  severity: severityOf("AUDIT-COULD-NOT-READ"),
  message: "could not read the IAM policy of gs://acme-data-exchange: 403",
  location: { source: "gs://acme-data-exchange" },
};

describe("auditParsedGcs", () => {
  it.each<{ name: string; input: GcsAuditInput }>([
    { name: "a policy alone", input: { ...base, iamPolicy } },
    {
      name: "a policy with Requester Pays metadata",
      input: { ...base, iamPolicy, metadata: { billing: { requesterPays: true } } },
    },
    {
      name: "an unread policy",
      input: { ...base, iamPolicy: undefined, readFindings: [unreadFinding] },
    },
  ])("audits $name as auditGcs does", ({ input }) => {
    expect(auditParsedGcs(parseGcsAuditInput(input))).toEqual(auditGcs(input));
  });

  it("refuses a malformed policy at the parsing edge, naming the source", () => {
    expect(() => parseGcsAuditInput({ ...base, iamPolicy: { bindings: "x" } })).toThrow(FILE);
  });

  it("audits an unread policy without evaluating anything", () => {
    const audit = auditParsedGcs({ ...base, readFindings: [unreadFinding] });

    expect(audit.operations).toEqual([]);
    expect(audit.predictedChips).toEqual({ write: "unknown" });
  });
});
