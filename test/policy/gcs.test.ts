import { describe, expect, it } from "vitest";
import { GCS_DELIVERY_MEMBER } from "../../src/nimble.js";
import { celString, gcsBindings } from "../../src/policy/generate/gcs.js";
import { catchError } from "./support.js";

describe("gcsBindings", () => {
  // Nimble documents Storage Object Creator for its service account, with no condition.
  it("grants Nimble's service account Storage Object Creator on the bucket", () => {
    expect(gcsBindings({ bucket: "example-bucket" })).toEqual([
      { role: "roles/storage.objectCreator", members: [GCS_DELIVERY_MEMBER] },
    ]);
  });

  // Object names in IAM conditions: projects/_/buckets/BUCKET/objects/OBJECT.
  // @see https://cloud.google.com/iam/docs/conditions-resource-attributes#resource-name
  it("limits a prefix with a resource.name.startsWith condition", () => {
    const [binding] = gcsBindings({ bucket: "example-bucket", prefix: "results/daily" });

    expect(binding?.condition?.expression).toBe(
      'resource.name.startsWith("projects/_/buckets/example-bucket/objects/results/daily/")',
    );
    expect(binding?.condition?.title).toBeTruthy();
  });

  // CEL string literals escape backslash and double quote with a backslash.
  // @see https://github.com/google/cel-spec/blob/master/doc/langdef.md#string-and-bytes-values
  it.each([
    ['a"b', '"a\\"b"'],
    ["a\\b", '"a\\\\b"'],
    ["plain", '"plain"'],
  ])("quotes %s for CEL as %s", (value, literal) => {
    expect(celString(value)).toBe(literal);
  });

  it("escapes a quote in the prefix inside the condition", () => {
    const [binding] = gcsBindings({ bucket: "example-bucket", prefix: 'we"ird/' });

    expect(binding?.condition?.expression).toBe(
      'resource.name.startsWith("projects/_/buckets/example-bucket/objects/we\\"ird/")',
    );
  });

  it("uses an overriding member", () => {
    const member = "serviceAccount:other@project.iam.gserviceaccount.com";
    expect(gcsBindings({ bucket: "example-bucket", member })[0]?.members).toEqual([member]);
  });

  it.each([
    ["a bucket starting with goog", { bucket: "google-bucket" }, "--bucket"],
    ["a bucket with upper case", { bucket: "Bucket" }, "--bucket"],
    ["a prefix with '*'", { bucket: "example-bucket", prefix: "a*/" }, "--prefix"],
    ["a member without a kind", { bucket: "example-bucket", member: "someone@x.com" }, "--member"],
  ])("rejects %s, naming %s", (_name, options, field) => {
    expect(catchError(() => gcsBindings(options))).toMatchObject({ code: "E_INPUT", field });
  });
});
