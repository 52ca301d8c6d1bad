import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GCS_CHECKS } from "../../src/gcs/checks.js";
import { auditGcs } from "../../src/gcs/audit.js";
import { renderAuditText } from "../../src/report/audit-text.js";
import { runCli } from "../audit/cli-support.js";

/**
 * GCS delivery: only the write chip is predicted (delivery has no read probe, as for S3),
 * findings are located at `bindings[i]` with the binding's role (bindings have no Sid), and
 * every GCS check has a one-line fix apart from its explanation.
 */

const FILE = "examples/gcs/delivery-good.iam-policy.json";
const iamPolicy = JSON.parse(
  readFileSync(new URL(`../../${FILE}`, import.meta.url), "utf8"),
) as unknown;

const audit = (metadata?: unknown) =>
  auditGcs({ bucket: "acme-data-exchange", prefix: "results/", iamPolicy, metadata, source: FILE });

describe("GCS delivery audit", () => {
  it.each([
    { name: "Storage Object Creator: write OK, no read chip", metadata: undefined, write: "ok" },
    {
      // Requests to a Requester Pays bucket without a billing project fail (UserProjectMissing).
      // @see https://cloud.google.com/storage/docs/requester-pays
      name: "Requester Pays: write connection-failed, no read chip",
      metadata: { name: "acme-data-exchange", billing: { requesterPays: true } },
      write: "connection-failed",
    },
  ])("$name", ({ metadata, write }) => {
    expect(audit(metadata).predictedChips).toEqual({ write });
  });

  it("locates findings at bindings[i] with the role, and the text says role, not Sid", () => {
    const result = audit();
    const bucketWide = result.findings.find((f) => f.id === "GCS-CREATE-BUCKET-WIDE");

    expect(bucketWide?.location).toMatchObject({
      path: "bindings[2]",
      role: "roles/storage.objectCreator",
    });
    expect(bucketWide?.location?.sid).toBeUndefined();
    const text = renderAuditText([result]);
    expect(text).toContain(`at ${FILE} bindings[2] (role roles/storage.objectCreator)`);
    expect(text).not.toContain("Sid roles/");
  });

  it("passes (exit 0) with Nimble's documented grant: reads it does not need do not fail it", async () => {
    const result = await runCli([
      "audit",
      "--for",
      "delivery",
      "gs://acme-data-exchange/results/",
      "--iam-policy",
      FILE,
    ]);

    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(
      "list storage.objects.list: implicitly-denied (not needed by Nimble)",
    );
  });

  it.each(GCS_CHECKS.map((check) => ({ id: check.id, check })))(
    "$id has a one-line fix, apart from its explanation",
    ({ check }) => {
      expect(check.fix).toMatch(/^[A-Z].{10,120}$/);
      expect(check.explanation).not.toContain(check.fix);
    },
  );
});
