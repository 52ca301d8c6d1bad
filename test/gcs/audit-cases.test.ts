import { describe, expect, it } from "vitest";
import { auditGcs } from "../../src/gcs/audit.js";
import { objectResource } from "../../src/gcs/cel.js";
import { evaluatePermission } from "../../src/gcs/evaluate.js";
import { parseGcsIamPolicy } from "../../src/gcs/policy.js";
import { GCS_DELIVERY_MEMBER } from "../../src/nimble.js";
import c23 from "./fixtures/c23.json" with { type: "json" };
import c24 from "./fixtures/c24.json" with { type: "json" };

/**
 * The gcs-iam-eval cases (C23, C24) from ../shared/cases, asserted as stated there.
 * @see https://cloud.google.com/storage/docs/access-control/iam-roles
 * @see https://cloud.google.com/storage/docs/access-control/iam#conditions
 */

const BUCKET = "example-gcs-bucket";
type Expect = "allowed" | "implicitly-denied";

interface PermissionCase {
  what: string;
  permission: string;
  object?: string;
  expected: Expect;
}

function decide(policy: unknown, c: PermissionCase): string {
  const resource = c.object
    ? objectResource(BUCKET, c.object)
    : { name: `projects/_/buckets/${BUCKET}`, type: "storage.googleapis.com/Bucket" as const };
  return evaluatePermission(parseGcsIamPolicy(policy, "policy"), {
    member: GCS_DELIVERY_MEMBER,
    permission: c.permission,
    resource,
  }).decision;
}

const ops = (audit: ReturnType<typeof auditGcs>): Record<string, string> =>
  Object.fromEntries(audit.operations.map((o) => [o.operation ?? o.action, o.decision]));
const ids = (audit: ReturnType<typeof auditGcs>) => audit.findings.map((f) => f.id);

describe("C23: Object Creator + Object Viewer, no conditions", () => {
  const policy = c23.input.gcs_iam_policy;
  const cases: PermissionCase[] = [
    { what: "list (bucket-wide)", permission: "storage.objects.list", expected: "allowed" },
    { what: "bucket get", permission: "storage.buckets.get", expected: "implicitly-denied" },
    {
      what: "get input/*",
      permission: "storage.objects.get",
      object: "input/a.csv",
      expected: "allowed",
    },
    {
      what: "get output/*",
      permission: "storage.objects.get",
      object: "output/b.json",
      expected: "allowed",
    },
    {
      what: "create output/*",
      permission: "storage.objects.create",
      object: "output/n.json",
      expected: "allowed",
    },
    {
      what: "create input/* (roles are bucket-wide)",
      permission: "storage.objects.create",
      object: "input/n.csv",
      expected: "allowed",
    },
    {
      what: "delete",
      permission: "storage.objects.delete",
      object: "output/n.json",
      expected: "implicitly-denied",
    },
    ...["create", "abort", "listParts"].map((p) => ({
      what: `XML multipart ${p} on output/*`,
      permission: `storage.multipartUploads.${p}`,
      object: "output/big.json",
      expected: "allowed" as const,
    })),
  ];

  it.each(cases)("$what is $expected", (c) => {
    expect(decide(policy, c)).toBe(c.expected);
  });

  const audit = auditGcs({
    bucket: BUCKET,
    prefix: "output/",
    iamPolicy: policy,
    source: "c23.json",
  });

  it("denies overwrite because storage.objects.delete is not granted", () => {
    expect(ops(audit)).toMatchObject({ create: "allowed", overwrite: "implicitly-denied" });
  });

  it.each([
    ["creation anywhere in the bucket", "GCS-CREATE-BUCKET-WIDE"],
    ["no overwrite without storage.objects.delete", "GCS-OVERWRITE-NEEDS-DELETE"],
    ["storage.buckets.get not granted", "GCS-BUCKET-GET-NOT-GRANTED"],
  ])("flags %s", (_what, id) => {
    expect(ids(audit)).toContain(id);
  });

  it("does not recommend a delete grant as the default fix", () => {
    const overwrite = audit.findings.find((f) => f.id === "GCS-OVERWRITE-NEEDS-DELETE");
    expect(overwrite?.message).toContain("storage.objects.delete");
    expect(ids(audit)).not.toContain("GCS-CREATE-NOT-GRANTED");
  });

  it("predicts OK for the create-only write probe", () => {
    expect(audit.predictedChips.write).toBe("ok");
  });
});

describe("C24: prefix conditions with uniform bucket-level access", () => {
  const policy = c24.input.gcs_iam_policy;
  const cases: PermissionCase[] = [
    {
      what: "list (any prefix)",
      permission: "storage.objects.list",
      expected: "implicitly-denied",
    },
    { what: "bucket get", permission: "storage.buckets.get", expected: "implicitly-denied" },
    {
      what: "get input/a.csv",
      permission: "storage.objects.get",
      object: "input/a.csv",
      expected: "allowed",
    },
    {
      what: "get output/b.csv",
      permission: "storage.objects.get",
      object: "output/b.csv",
      expected: "allowed",
    },
    {
      what: "get other/c.csv",
      permission: "storage.objects.get",
      object: "other/c.csv",
      expected: "implicitly-denied",
    },
    {
      what: "create output/new.csv",
      permission: "storage.objects.create",
      object: "output/new.csv",
      expected: "allowed",
    },
    {
      what: "create input/new.csv",
      permission: "storage.objects.create",
      object: "input/new.csv",
      expected: "implicitly-denied",
    },
    {
      what: "delete output/existing.csv",
      permission: "storage.objects.delete",
      object: "output/existing.csv",
      expected: "implicitly-denied",
    },
  ];

  it.each(cases)("$what is $expected", (c) => {
    expect(decide(policy, c)).toBe(c.expected);
  });

  const metadata = { uniform_bucket_level_access: c24.input.uniform_bucket_level_access };
  const audit = auditGcs({
    bucket: BUCKET,
    prefix: "input/",
    iamPolicy: policy,
    metadata,
    source: "c24.json",
  });

  it("flags the prefix-conditioned viewer binding as granting no listing", () => {
    const found = audit.findings.find((f) => f.id === "GCS-PREFIX-CONDITION-BREAKS-LIST");
    expect(found?.location).toMatchObject({ path: "bindings[0].condition", statementIndex: 0 });
    expect(ops(audit)).toMatchObject({ list: "implicitly-denied", overwrite: "implicitly-denied" });
  });

  it("predicts the write chip only: delivery has no read probe, so no read chip", () => {
    expect(Object.keys(audit.predictedChips)).toEqual(["write"]);
  });

  it("after the documented fix, listing is allowed and flagged as bucket-wide", () => {
    const fixed = structuredClone(policy);
    const viewer = fixed.bindings[0];
    if (!viewer) throw new Error("fixture changed");
    viewer.condition.expression += ` || resource.name == "projects/_/buckets/${BUCKET}"`;
    const after = auditGcs({
      bucket: BUCKET,
      prefix: "input/",
      iamPolicy: fixed,
      metadata,
      source: "c24.json",
    });

    expect(ops(after).list).toBe("allowed");
    expect(ids(after)).toContain("GCS-LIST-BUCKET-WIDE");
    expect(ids(after)).not.toContain("GCS-PREFIX-CONDITION-BREAKS-LIST");
  });
});
