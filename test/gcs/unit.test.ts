import { describe, expect, it } from "vitest";
import { auditGcs } from "../../src/gcs/audit.js";
import {
  bucketResource,
  evaluateCondition,
  extractTemplate,
  objectResource,
} from "../../src/gcs/cel.js";
import { GCS_CHECKS } from "../../src/gcs/checks.js";
import { GCS_MESSAGES } from "../../src/gcs/messages.js";
import { parseGcsIamPolicy } from "../../src/gcs/policy.js";
import { GCS_DELIVERY_MEMBER } from "../../src/nimble.js";

/**
 * IAM condition evaluation (three-valued), policy parsing and the audit's checks.
 * @see https://cloud.google.com/iam/docs/conditions-resource-attributes
 * @see https://cloud.google.com/iam/docs/conditions-attribute-reference
 */

const B = "example-gcs-bucket";
const OUT = `"projects/_/buckets/${B}/objects/output/"`;

describe("evaluateCondition", () => {
  it.each([
    ["startsWith on a matching object", `resource.name.startsWith(${OUT})`, "output/a", "true"],
    ["startsWith on another prefix", `resource.name.startsWith(${OUT})`, "input/a", "false"],
    [
      "a known false && an unknown request.time",
      `resource.name.startsWith(${OUT}) && request.time < timestamp("2030-01-01T00:00:00Z")`,
      "input/a",
      "false",
    ],
    [
      "a known true || an unknown",
      `resource.name.startsWith(${OUT}) || request.time < timestamp("2030-01-01T00:00:00Z")`,
      "output/a",
      "true",
    ],
    [
      "a known true && an unknown request.time",
      `resource.name.startsWith(${OUT}) && request.time < timestamp("2030-01-01T00:00:00Z")`,
      "output/a",
      "unknown",
    ],
    [
      "api.getAttribute is unknown",
      `api.getAttribute("storage.googleapis.com/objectListPrefix", "") == "output/"`,
      "output/a",
      "unknown",
    ],
    [
      "resource.type of an object",
      `resource.type == "storage.googleapis.com/Object"`,
      "output/a",
      "true",
    ],
    [
      "extract() of the object's folder",
      `resource.name.extract("/objects/{x}/") == "output"`,
      "output/a",
      "true",
    ],
  ])("%s", (_what, expression, name, value) => {
    expect(evaluateCondition(expression, objectResource(B, name)).value).toBe(value);
  });

  it("names the unknown attribute", () => {
    const result = evaluateCondition(
      'request.time < timestamp("2030-01-01T00:00:00Z")',
      bucketResource(B),
    );
    expect(result.dependsOn).toEqual(["request.time"]);
  });

  it("an unparsable expression is unknown with the reason, not false", () => {
    const result = evaluateCondition("resource.name.startsWith(", bucketResource(B));
    expect(result).toMatchObject({
      value: "unknown",
      error: expect.stringMatching(/parsed/) as unknown,
    });
  });

  it.each([
    ["projects/_/buckets/b/objects/a/b/c", "/objects/{name}/", "a"],
    ["projects/_/buckets/b/objects/a", "/objects/{name}", "a"],
    ["projects/_/buckets/b", "/objects/{name}", ""],
  ])("extract(%s, %s) is %j", (value, template, expected) => {
    expect(extractTemplate(value, template)).toBe(expected);
  });
});

describe("parseGcsIamPolicy rejects malformed input with the JSON path", () => {
  it.each([
    ["not an object", [], /^f: must be a JSON object/],
    ["a binding without role", { bindings: [{ members: [] }] }, /bindings\[0\]\.role/],
    ["members not strings", { bindings: [{ role: "r", members: [1] }] }, /bindings\[0\]\.members/],
    [
      "a condition without expression",
      { bindings: [{ role: "r", members: [], condition: {} }] },
      /bindings\[0\]\.condition\.expression/,
    ],
    ["an unknown version", { version: 7, bindings: [] }, /version/],
  ])("%s", (_what, value, message) => {
    expect(() => parseGcsIamPolicy(value, "f")).toThrow(message);
  });
});

/** A binding of `role` to Nimble's member, or to the members given. */
const grant = (role: string, members: string[] = [GCS_DELIVERY_MEMBER], extra: object = {}) => ({
  role,
  members,
  ...extra,
});
const nimble = (role: string, extra: object = {}) => grant(role, undefined, extra);
const audit = (bindings: object[], metadata?: object) =>
  auditGcs({
    bucket: B,
    prefix: "output/",
    iamPolicy: { version: 3, bindings },
    source: "p.json",
    ...(metadata ? { metadata } : {}),
  });
const ids = (result: ReturnType<typeof audit>) => result.findings.map((f) => f.id);

const CREATOR = "roles/storage.objectCreator";
const VIEWER = "roles/storage.objectViewer";

describe("the audit's checks", () => {
  it.each([
    ["no create grant", [nimble(VIEWER)], "GCS-CREATE-NOT-GRANTED"],
    ["create through a group", [grant(CREATOR, ["group:eng@example.com"])], "GCS-GRANT-DEPENDS"],
    ["create through a domain", [grant(CREATOR, ["domain:example.com"])], "GCS-GRANT-DEPENDS"],
    ["create through a custom role", [nimble("projects/p/roles/uploader")], "GCS-GRANT-DEPENDS"],
    ["Object Admin", [nimble("roles/storage.objectAdmin")], "GCS-DELETE-OR-ADMIN-ROLE"],
    ["Object User", [nimble("roles/storage.objectUser")], "GCS-DELETE-OR-ADMIN-ROLE"],
    ["Storage Admin", [nimble("roles/storage.admin")], "GCS-DELETE-OR-ADMIN-ROLE"],
    [
      "legacy bucket writer",
      [nimble("roles/storage.legacyBucketWriter")],
      "GCS-DELETE-OR-ADMIN-ROLE",
    ],
    ["allUsers", [grant(VIEWER, ["allUsers"])], "GCS-PUBLIC-BINDING"],
    ["allAuthenticatedUsers", [grant(VIEWER, ["allAuthenticatedUsers"])], "GCS-PUBLIC-BINDING"],
  ])("flags the binding: %s", (_what, bindings, id) => {
    expect(ids(audit(bindings))).toContain(id);
  });

  it.each([
    [
      "a retention policy",
      { retentionPolicy: { retentionPeriod: "86400" } },
      "GCS-RETENTION-BLOCKS-REWRITE",
    ],
    [
      "a default KMS key",
      { encryption: { defaultKmsKeyName: "projects/p/locations/l/keyRings/r/cryptoKeys/k" } },
      "GCS-CMEK-AGENT-UNCHECKED",
    ],
    ["Requester Pays", { billing: { requesterPays: true } }, "GCS-REQUESTER-PAYS"],
  ])("flags the bucket setting, Object Creator granted: %s", (_what, metadata, id) => {
    expect(ids(audit([nimble(CREATOR)], metadata))).toContain(id);
  });

  it("flags a condition on a bucket without uniform access", () => {
    const condition = { title: "t", expression: `resource.name.startsWith(${OUT})` };
    const metadata = { iamConfiguration: { uniformBucketLevelAccess: { enabled: false } } };

    const result = audit([nimble(CREATOR, { condition })], metadata);

    expect(ids(result)).toContain("GCS-CONDITION-WITHOUT-UBLA");
  });

  it("Object Creator alone is allowed to create and raises no error-level finding", () => {
    const result = audit([nimble(CREATOR)]);
    expect(result.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(result.predictedChips.write).toBe("ok");
  });

  it("a group-only grant predicts an unknown chip, never Access denied", () => {
    const result = audit([grant(CREATOR, ["group:eng@example.com"])]);
    expect(result.predictedChips.write).toBe("unknown");
  });

  it("every finding id is in GCS_CHECKS", () => {
    const known = new Set(GCS_CHECKS.map((c) => c.id));
    const all = audit([nimble("roles/storage.admin"), grant(VIEWER, ["allUsers"])], {
      billing: { requesterPays: true },
    });

    expect(all.findings.length).toBeGreaterThan(0);
    expect(all.findings.every((f) => known.has(f.id))).toBe(true);
  });

  it("every message template has a registry entry, and every registry entry a message", () => {
    expect(Object.keys(GCS_MESSAGES).sort()).toEqual(GCS_CHECKS.map((c) => c.id).sort());
  });
});
