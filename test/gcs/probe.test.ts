import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditGcs, readGcsAuditInput } from "../../src/gcs/audit.js";
import { guardStorage } from "../../src/gcs/live.js";
import { classify, probeGcs } from "../../src/gcs/probe.js";
import { gcsBindings } from "../../src/policy/generate/gcs.js";
import type { Target } from "../../src/probe/target.js";
import type { ProbeMode, ProbeStatus } from "../../src/probe/types.js";
import { fakeStorage, MEMBERS, OWNER_BINDING, TOKEN_MEMBERS, TOKENS } from "../fake-gcs/client.js";
import { startFakeGcs } from "../fake-gcs/server.js";
import type { BucketSettings, FakeGcs } from "../fake-gcs/server.js";
import c27 from "./fixtures/c27.json" with { type: "json" };

/**
 * The GCS probe against the fake JSON-API server, through the real @google-cloud/storage client.
 * Expected chips follow Nimble's facts (section 3) and Google's documented status codes.
 * @see https://cloud.google.com/storage/docs/json_api/v1/status-codes
 * @see https://cloud.google.com/storage/docs/request-preconditions
 */

let fake: FakeGcs;
beforeAll(async () => {
  fake = await startFakeGcs({ tokens: TOKEN_MEMBERS });
});
afterAll(() => fake.stop());

let counter = 0;
function bucket(roles: string[], settings: Omit<BucketSettings, "policy"> = {}): string {
  const name = `probe-bucket-${++counter}`;
  const bindings = [OWNER_BINDING, ...roles.map((role) => ({ role, members: [MEMBERS.nimble] }))];
  fake.addBucket(name, { policy: { version: 1, bindings }, ...settings });
  return name;
}

function target(name: string, prefix = "output/"): Target {
  return { provider: "gcs", bucket: name, prefix, url: `gs://${name}/${prefix}` };
}

const asNimble = () => fakeStorage(fake.url, TOKENS.nimble);
const asOwner = () => fakeStorage(fake.url, TOKENS.owner);

/** The error a request fails with, or undefined when it succeeds. */
function rejection(request: Promise<unknown>): Promise<unknown> {
  return request.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** A uniform-access bucket whose owner has added `nimble-bucket policy gcs` bindings for prefix. */
async function bucketWithGeneratedGrant(prefix: string): Promise<string> {
  const b = bucket([], { uniformBucketLevelAccess: true });
  const iam = asOwner().bucket(b).iam;
  const [policy] = await iam.getPolicy({ requestedPolicyVersion: 3 });
  const bindings = gcsBindings({ bucket: b, prefix });
  await iam.setPolicy({ ...policy, version: 3, bindings: [...policy.bindings, ...bindings] });
  return b;
}

/** Puts output/a.json into the bucket, so a read probe has an object to read. */
function withOutputFile(name: string): string {
  fake.putObject(name, "output/a.json", "{}");
  return name;
}

interface ProbeCase {
  what: string;
  mode: ProbeMode;
  setup: () => string;
  status: ProbeStatus;
  detail: RegExp;
}

describe("probeGcs maps Google's answers to Nimble's chips", () => {
  const cases: ProbeCase[] = [
    {
      what: "write OK with Object Creator",
      mode: "write",
      setup: () => bucket(["roles/storage.objectCreator"]),
      status: "ok",
      detail: /created .*\.nimble-connection-test/,
    },
    {
      what: "write denied without a create grant, naming the permission",
      mode: "write",
      setup: () => bucket(["roles/storage.objectViewer"]),
      status: "access-denied",
      detail: /storage\.objects\.create/,
    },
    {
      what: "write to a missing bucket",
      mode: "write",
      setup: () => "no-such-bucket-here",
      status: "bucket-not-found",
      detail: /does not exist/,
    },
    {
      what: "write to a Requester Pays bucket fails with the cause (UserProjectMissing)",
      mode: "write",
      setup: () => bucket(["roles/storage.objectCreator"], { requesterPays: true }),
      status: "connection-failed",
      detail: /Requester Pays/,
    },
    {
      what: "read of an empty prefix with Object Viewer",
      mode: "read",
      setup: () => bucket(["roles/storage.objectViewer"]),
      status: "ok-prefix-empty",
      detail: /no objects yet/,
    },
    {
      what: "read of a prefix with files with Object Viewer",
      mode: "read",
      setup: () => withOutputFile(bucket(["roles/storage.objectViewer"])),
      status: "ok",
      detail: /read the metadata of output\/a\.json/,
    },
    {
      what: "read denied with Object Creator only (no storage.objects.list)",
      mode: "read",
      setup: () => bucket(["roles/storage.objectCreator"]),
      status: "access-denied",
      detail: /storage\.objects\.list/,
    },
    {
      what: "read denied when listing is allowed but object metadata is not",
      mode: "read",
      setup: () => withOutputFile(bucket(["roles/storage.legacyBucketReader"])),
      status: "access-denied",
      detail: /storage\.objects\.get/,
    },
    {
      what: "read of a missing bucket",
      mode: "read",
      setup: () => "no-such-bucket-here",
      status: "bucket-not-found",
      detail: /does not exist/,
    },
  ];

  it.each(cases)("$what", async (c) => {
    const result = await probeGcs(target(c.setup()), c.mode, { storage: asNimble() });

    expect(result.status).toBe(c.status);
    expect(result.detail).toMatch(c.detail);
    expect(result.detail).not.toContain(TOKENS.nimble);
  });

  it("reports a network failure as Connection failed", async () => {
    const closed = await startFakeGcs({ tokens: TOKEN_MEMBERS });
    await closed.stop();
    const storage = fakeStorage(closed.url, TOKENS.nimble);

    const result = await probeGcs(target("any-bucket"), "write", { storage });

    expect(result.status).toBe("connection-failed");
  });
});

describe("the overwrite trap (C23 probe_consequence)", () => {
  it("a plain upload with a fixed key passes once, then is denied for storage.objects.delete", async () => {
    const name = bucket(["roles/storage.objectCreator", "roles/storage.objectViewer"]);
    const file = asNimble().bucket(name).file("output/.nimble-connection-test");
    await file.save(Buffer.alloc(0), { resumable: false, validation: false });

    const error = await rejection(
      file.save(Buffer.alloc(0), { resumable: false, validation: false }),
    );

    expect(classify(error, "objects.insert", target(name))).toMatchObject({
      status: "access-denied",
      detail: expect.stringMatching(/storage\.objects\.delete/) as unknown,
    });
  });

  it("the create-only probe reports OK on the first and on every later run", async () => {
    const name = bucket(["roles/storage.objectCreator"]);
    const runs = [];
    for (let i = 0; i < 3; i++)
      runs.push(await probeGcs(target(name), "write", { storage: asNimble() }));

    expect(runs.map((r) => r.status)).toEqual(["ok", "ok", "ok"]);
    expect(runs[1]?.detail).toMatch(/already existed.*412/);
    expect(fake.buckets.get(name)?.objects.size).toBe(1);
  });

  it("every upload the probe sends carries ifGenerationMatch=0 and no ACL parameter", async () => {
    const name = bucket(["roles/storage.objectCreator"]);
    await probeGcs(target(name), "write", { storage: asNimble() });

    const uploads = fake.requests.filter((r) => r.path === `/upload/storage/v1/b/${name}/o`);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.query).toContain("ifGenerationMatch=0");
    expect(uploads[0]?.query).not.toMatch(/acl/i);
  });
});

describe("C27: uniform bucket-level access rejects an upload that carries an ACL", () => {
  const name = () => bucket(["roles/storage.objectCreator"], { uniformBucketLevelAccess: true });

  it("classifies the 400 as Connection failed, never Access denied or Bucket does not exist", async () => {
    const b = name();
    const request = c27.input.probe_request;
    const error = await rejection(
      asNimble().bucket(b).file(request.name).save(Buffer.alloc(0), {
        resumable: false,
        validation: false,
        predefinedAcl: "bucketOwnerFullControl",
      }),
    );
    const result = classify(error, "objects.insert", target(b));

    expect(result.status).toBe("connection-failed");
    expect(["access-denied", "bucket-not-found"]).not.toContain(result.status);
    expect(result.detail).toMatch(/uniform bucket-level access/);
    expect(c27.expected.probe_verdict).toBe("Connection failed");
  });

  it("the probe itself passes on the same bucket because it never sends ACL parameters", async () => {
    const result = await probeGcs(target(name()), "write", { storage: asNimble() });

    expect(result.status).toBe("ok");
  });
});

describe("errors the probe itself cannot cause are still classified", () => {
  it("a retention policy blocking an overwrite is Connection failed, not Access denied", async () => {
    const b = bucket([], { retentionPeriodSeconds: 3600 });
    const file = asOwner().bucket(b).file("output/report.json");
    await file.save("{}", { resumable: false, validation: false });

    const error = await rejection(file.save("{}", { resumable: false, validation: false }));
    const result = classify(error, "objects.insert", target(b));

    expect(result.status).toBe("connection-failed");
    expect(result.detail).toMatch(/retention/);
  });
});

describe("never delete", () => {
  it("refuses a delete before it reaches the server", async () => {
    const b = bucket(["roles/storage.objectAdmin"]);
    fake.putObject(b, "output/a.json", "{}");
    const storage = guardStorage(asNimble());
    const before = fake.requests.length;

    await expect(storage.bucket(b).file("output/a.json").delete()).rejects.toMatchObject({
      code: "E_FORBIDDEN_REQUEST",
    });
    expect(fake.requests.slice(before)).toEqual([]);
    expect(fake.buckets.get(b)?.objects.has("output/a.json")).toBe(true);
  });
});

describe("nimble-bucket policy gcs output applied to the fake server", () => {
  it.each([
    ["bucket-wide", ""],
    ["scoped to output/ by a condition", "output/"],
  ])("makes the write probe pass, twice (%s)", async (_what, prefix) => {
    const b = await bucketWithGeneratedGrant(prefix);

    const first = await probeGcs(target(b, prefix), "write", { storage: asNimble() });
    const second = await probeGcs(target(b, prefix), "write", { storage: asNimble() });

    expect([first.status, second.status]).toEqual(["ok", "ok"]);
    expect(second.detail).toMatch(/already existed/);
  });

  it("a prefix-scoped grant does not let the probe write elsewhere", async () => {
    const b = await bucketWithGeneratedGrant("output/");

    const result = await probeGcs(target(b, "input/"), "write", { storage: asNimble() });

    expect(result.status).toBe("access-denied");
  });

  it("the live audit reads the same policy and predicts the probe's chip", async () => {
    const b = await bucketWithGeneratedGrant("output/");

    const input = await readGcsAuditInput(target(b), { storage: asOwner() });
    const audit = auditGcs(input);
    const probe = await probeGcs(target(b), "write", { storage: asNimble() });

    expect(audit.predictedChips.write).toBe(probe.status);
    expect(audit.findings.map((f) => f.id)).not.toContain("GCS-CONDITION-WITHOUT-UBLA");
  });
});
