import { describe, expect, it, vi } from "vitest";
import c23 from "./fixtures/c23.json" with { type: "json" };

/**
 * The offline audit and the policy generator must not load the Cloud Storage SDK or Google's auth
 * library (STYLE.md habit 9: heavy SDKs are imported lazily, inside the function that needs
 * them). Each mock records its module being loaded; a static import anywhere on the path would
 * load it when the module under test is imported.
 */

const loaded = vi.hoisted(() => new Set<string>());

vi.mock("@google-cloud/storage", () => {
  loaded.add("@google-cloud/storage");
  return {};
});
vi.mock("google-auth-library", () => {
  loaded.add("google-auth-library");
  return {};
});

describe("the GCS SDK is loaded only by the commands that talk to Cloud Storage", () => {
  it("an offline audit runs without loading it", async () => {
    const { auditGcs } = await import("../../src/gcs/audit.js");

    const result = auditGcs({
      bucket: "example-gcs-bucket",
      prefix: "output/",
      iamPolicy: c23.input.gcs_iam_policy,
      source: "c23.json",
    });

    expect(result.operations.length).toBeGreaterThan(0);
    expect([...loaded]).toEqual([]);
  });

  it("importing the probe module and generating GCS bindings does not load it", async () => {
    await import("../../src/gcs/probe.js");
    const { gcsBindings } = await import("../../src/policy/generate/gcs.js");

    expect(gcsBindings({ bucket: "example-gcs-bucket", prefix: "" }).length).toBeGreaterThan(0);
    expect([...loaded]).toEqual([]);
  });

  it("the mocks do record a load (the check above can fail)", async () => {
    await import("@google-cloud/storage");

    expect([...loaded]).toEqual(["@google-cloud/storage"]);
  });
});
