import { describe, expect, it } from "vitest";
import { runCli } from "../audit/cli-support.js";

/**
 * Findings about bucket settings point into the metadata file they come from, not the IAM
 * policy. The JSON API's bucket resource holds `retentionPolicy.retentionPeriod` and
 * `billing.requesterPays`.
 * @see https://cloud.google.com/storage/docs/json_api/v1/buckets#resource
 */

const METADATA = "test/gcs/fixtures/bucket-api-retention.json";
const POLICY = "examples/gcs/delivery-good.iam-policy.json";
const AUDIT = [
  "audit",
  "--for",
  "delivery",
  "gs://acme-data-exchange/results/",
  "--iam-policy",
  POLICY,
  "--bucket-metadata",
  METADATA,
];

describe("GCS metadata findings are located in --bucket-metadata", () => {
  it.each([
    { id: "GCS-RETENTION-BLOCKS-REWRITE", path: "retentionPolicy" },
    { id: "GCS-REQUESTER-PAYS", path: "billing.requesterPays" },
  ])("$id at the metadata file's $path", async ({ id, path }) => {
    const result = await runCli([...AUDIT, "--format", "json"]);

    const findings = (
      JSON.parse(result.stdout) as {
        buckets: { findings: { id: string; location: { source: string; path?: string } }[] }[];
      }
    ).buckets[0]!.findings;
    expect(findings.find((f) => f.id === id)?.location).toEqual({ source: METADATA, path });
  });

  it("the text report says `at FILE retentionPolicy`", async () => {
    const result = await runCli(AUDIT);

    expect(result.stdout).toContain(`at ${METADATA} retentionPolicy`);
    expect(result.stdout).not.toContain(`at ${POLICY} retentionPolicy`);
  });
});
