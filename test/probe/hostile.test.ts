import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { probeGcs } from "../../src/gcs/probe.js";
import { renderProbeReport } from "../../src/report/probe-report.js";
import { runProbes } from "../../src/probe/run.js";
import { probeS3 } from "../../src/probe/s3.js";
import { parseTarget } from "../../src/probe/target.js";
import type { ProbeMode, ProbeResult, ProbeStatus } from "../../src/probe/types.js";
import type { Use } from "../../src/nimble.js";
import type { Answer, HostileServer } from "./support/hostile-server.js";
import { startHostileServer } from "./support/hostile-server.js";

/**
 * The probe against a misbehaving loopback server: a 200 that is not S3's or Google's answer, a
 * body that does not parse, error messages and object names carrying terminal escapes. A probe
 * must report each as a result (never crash, never pass), and the text report must not let
 * server-supplied text drive the terminal.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html (ListBucketResult)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (ETag)
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects/list (kind storage#objects)
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects#resource (kind storage#object)
 */

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const PORTAL: Answer = {
  status: 200,
  headers: { "content-type": "text/html; charset=utf-8" },
  body: "<html><body><h1>Sign in to the Wi-Fi</h1></body></html>",
};
const XML = { "content-type": "application/xml" };
const JSON_TYPE = { "content-type": "application/json; charset=UTF-8" };
const ESCAPES = "\u001b]0;pwned\u0007\u001b[31m";

type S3Step = "HeadBucket" | "GetBucketLocation" | "ListObjectsV2" | "HeadObject" | "PutObject";

/** S3's documented answers, each replaceable by a test. */
const S3_ANSWERS: Record<S3Step, Answer> = {
  HeadBucket: { status: 200, headers: { ...XML, "x-amz-bucket-region": "us-east-1" } },
  GetBucketLocation: {
    status: 200,
    headers: XML,
    body: '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>',
  },
  ListObjectsV2: {
    status: 200,
    headers: XML,
    body:
      '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b-1</Name>' +
      "<Prefix>in/</Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys>" +
      "<IsTruncated>false</IsTruncated></ListBucketResult>",
  },
  // HeadObject carries the object's own Content-Type, which may well be text/html.
  HeadObject: { status: 200, headers: { "content-type": "text/html", etag: '"e"' } },
  PutObject: { status: 200, headers: { etag: '"d41d8cd98f00b204e9800998ecf8427e"' } },
};

function s3Step(request: IncomingMessage): S3Step {
  const url = new URL(request.url ?? "/", "http://x");
  const isBucket = url.pathname.split("/").filter(Boolean).length === 1;
  if (request.method === "PUT") return "PutObject";
  if (request.method === "HEAD") return isBucket ? "HeadBucket" : "HeadObject";
  return url.searchParams.has("location") ? "GetBucketLocation" : "ListObjectsV2";
}

async function probeS3Against(
  answers: Partial<Record<S3Step, Answer>>,
  mode: ProbeMode,
  use: Use = "jobs",
): Promise<ProbeResult> {
  const table = { ...S3_ANSWERS, ...answers };
  server = await startHostileServer((request) => table[s3Step(request)]);
  const target = parseTarget(mode === "read" ? "s3://b-1/in/" : "s3://b-1/out/", "target");

  return probeS3(target, mode, {
    use,
    endpoint: server.url,
    region: "us-east-1",
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example-secret-key" },
  });
}

interface S3Case {
  what: string;
  mode: ProbeMode;
  use?: Use;
  answers: Partial<Record<S3Step, Answer>>;
  status: ProbeStatus;
  detail: RegExp;
}

const NOT_S3 = /the endpoint did not answer like S3/;

const S3_CASES: S3Case[] = [
  {
    what: "passes a documented empty ListBucketResult (the control)",
    mode: "read",
    answers: {},
    status: "ok-prefix-empty",
    detail: /no object under s3:\/\/b-1\/in\//,
  },
  {
    what: "passes a documented PutObject answer with an ETag (the control)",
    mode: "write",
    answers: {},
    status: "ok",
    detail: /wrote the empty test object/,
  },
  {
    what: "passes delivery's GetBucketLocation with an empty LocationConstraint (the control)",
    mode: "write",
    use: "delivery",
    answers: {},
    status: "ok",
    detail: /wrote the empty test object/,
  },
  {
    what: "fails a 200 text/html page answering ListObjectsV2",
    mode: "read",
    answers: { ListObjectsV2: PORTAL },
    status: "connection-failed",
    detail: /ListObjectsV2: the endpoint did not answer like S3: got text\/html/,
  },
  {
    what: "fails a 200 XML answer to ListObjectsV2 that is no ListBucketResult",
    mode: "read",
    answers: {
      ListObjectsV2: { status: 200, headers: XML, body: "<Hello><Name>x</Name></Hello>" },
    },
    status: "connection-failed",
    detail: NOT_S3,
  },
  {
    what: "fails a 200 answer to ListObjectsV2 that does not parse",
    mode: "read",
    answers: { ListObjectsV2: { status: 200, headers: XML, body: "<<<not xml" } },
    status: "connection-failed",
    detail: /ListObjectsV2/,
  },
  {
    what: "fails a 200 ListObjectsV2 answer with no Content-Type and no body",
    mode: "read",
    answers: { ListObjectsV2: { status: 200, body: "" } },
    status: "connection-failed",
    detail: NOT_S3,
  },
  {
    what: "fails a 200 text/html answer to HeadBucket",
    mode: "read",
    answers: { HeadBucket: PORTAL },
    status: "connection-failed",
    detail: /HeadBucket: the endpoint did not answer like S3: got text\/html/,
  },
  {
    what: "fails a 200 text/html answer to delivery's GetBucketLocation",
    mode: "write",
    use: "delivery",
    answers: { GetBucketLocation: PORTAL },
    status: "connection-failed",
    detail: /GetBucketLocation: the endpoint did not answer like S3: got text\/html/,
  },
  {
    what: "fails a 200 text/html answer to PutObject",
    mode: "write",
    answers: { PutObject: PORTAL },
    status: "connection-failed",
    detail: /PutObject: the endpoint did not answer like S3: got text\/html/,
  },
  {
    what: "fails a 200 answer to PutObject without the ETag S3 always returns",
    mode: "write",
    answers: { PutObject: { status: 200 } },
    status: "connection-failed",
    detail: /PutObject: the endpoint did not answer like S3: no ETag/,
  },
];

describe("the S3 probe against a server that answers 200 with something else", () => {
  it.each(S3_CASES)("$what", async (row) => {
    const result = await probeS3Against(row.answers, row.mode, row.use);

    expect(result.status).toBe(row.status);
    expect(result.detail).toMatch(row.detail);
  });
});

type GcsStep = "objects.list" | "objects.get" | "objects.insert";

const GCS_OBJECT = { kind: "storage#object", bucket: "b-1", name: "in/a.json", generation: "1" };

/** Google's documented answers, each replaceable by a test. */
const GCS_ANSWERS: Record<GcsStep, Answer> = {
  "objects.list": {
    status: 200,
    headers: JSON_TYPE,
    body: JSON.stringify({ kind: "storage#objects", items: [GCS_OBJECT] }),
  },
  "objects.get": { status: 200, headers: JSON_TYPE, body: JSON.stringify(GCS_OBJECT) },
  "objects.insert": {
    status: 200,
    headers: JSON_TYPE,
    body: JSON.stringify({ ...GCS_OBJECT, name: "out/.nimble-connection-test" }),
  },
};

function gcsStep(request: IncomingMessage): GcsStep {
  if (request.method === "POST") return "objects.insert";
  const path = new URL(request.url ?? "/", "http://x").pathname;
  return /\/o\/./.test(path) ? "objects.get" : "objects.list";
}

async function probeGcsAgainst(
  answers: Partial<Record<GcsStep, Answer>>,
  mode: ProbeMode,
): Promise<ProbeResult> {
  const table = { ...GCS_ANSWERS, ...answers };
  server = await startHostileServer((request) => table[gcsStep(request)]);
  const target = parseTarget(mode === "read" ? "gs://b-1/in/" : "gs://b-1/out/", "target");

  return probeGcs(target, mode, { endpoint: server.url, timeoutMs: 5000 });
}

interface GcsCase {
  what: string;
  mode: ProbeMode;
  answers: Partial<Record<GcsStep, Answer>>;
  status: ProbeStatus;
  detail: RegExp;
}

const NOT_GCS = /the endpoint did not answer like Cloud Storage/;

const GCS_CASES: GcsCase[] = [
  {
    what: "passes a documented objects.list and objects.get (the control)",
    mode: "read",
    answers: {},
    status: "ok",
    detail: /read the metadata of in\/a\.json/,
  },
  {
    what: "passes a documented empty objects.list (the control)",
    mode: "read",
    answers: {
      "objects.list": { status: 200, headers: JSON_TYPE, body: '{"kind":"storage#objects"}' },
    },
    status: "ok-prefix-empty",
    detail: /no objects yet/,
  },
  {
    what: "passes a documented objects.insert (the control)",
    mode: "write",
    answers: {},
    status: "ok",
    detail: /created gs:\/\/b-1\/out\/\.nimble-connection-test/,
  },
  {
    what: "fails, without crashing, a 200 objects.list whose body is not JSON",
    mode: "read",
    answers: { "objects.list": { status: 200, headers: JSON_TYPE, body: "not json at all" } },
    status: "connection-failed",
    detail: NOT_GCS,
  },
  {
    what: "fails, without crashing, a 200 objects.list with an empty body",
    mode: "read",
    answers: { "objects.list": { status: 200, headers: JSON_TYPE, body: "" } },
    status: "connection-failed",
    detail: NOT_GCS,
  },
  {
    what: "fails, without crashing, a 200 objects.list whose body is JSON null",
    mode: "read",
    answers: { "objects.list": { status: 200, headers: JSON_TYPE, body: "null" } },
    status: "connection-failed",
    detail: NOT_GCS,
  },
  {
    what: "fails a 200 objects.insert with an empty body",
    mode: "write",
    answers: { "objects.insert": { status: 200, headers: JSON_TYPE, body: "" } },
    status: "connection-failed",
    detail: NOT_GCS,
  },
  {
    what: "fails a 200 text/html page answering objects.list",
    mode: "read",
    answers: { "objects.list": PORTAL },
    status: "connection-failed",
    detail: /objects\.list .*did not answer like Cloud Storage: got text\/html/,
  },
  {
    what: "fails a 200 JSON objects.list without kind storage#objects",
    mode: "read",
    answers: { "objects.list": { status: 200, headers: JSON_TYPE, body: '{"items":[]}' } },
    status: "connection-failed",
    detail: NOT_GCS,
  },
  {
    what: "fails a 200 text/html page answering objects.get",
    mode: "read",
    answers: { "objects.get": PORTAL },
    status: "connection-failed",
    detail: /objects\.get .*did not answer like Cloud Storage: got text\/html/,
  },
  {
    what: "fails a 200 text/html page answering objects.insert",
    mode: "write",
    answers: { "objects.insert": PORTAL },
    status: "connection-failed",
    detail: /objects\.insert .*did not answer like Cloud Storage/,
  },
];

describe("the GCS probe against a server that answers 200 with something else", () => {
  it.each(GCS_CASES)("$what", async (row) => {
    const result = await probeGcsAgainst(row.answers, row.mode);

    expect(result.status).toBe(row.status);
    expect(result.detail).toMatch(row.detail);
  });
});

interface EscapeCase {
  what: string;
  probe: () => Promise<ProbeResult>;
}

const ESCAPE_CASES: EscapeCase[] = [
  {
    what: "an S3 error <Message>",
    probe: () =>
      probeS3Against(
        {
          PutObject: {
            status: 400,
            headers: XML,
            body: `<Error><Code>InvalidArgument</Code><Message>bad ${ESCAPES} x</Message></Error>`,
          },
        },
        "write",
      ),
  },
  {
    what: "a GCS JSON error message",
    probe: () =>
      probeGcsAgainst(
        {
          "objects.insert": {
            status: 400,
            headers: JSON_TYPE,
            body: JSON.stringify({ error: { code: 400, message: `bad ${ESCAPES} x` } }),
          },
        },
        "write",
      ),
  },
  {
    what: "a listed GCS object name",
    probe: () => {
      const item = { ...GCS_OBJECT, name: `in/${ESCAPES}.json` };
      const list = { kind: "storage#objects", items: [item] };
      return probeGcsAgainst(
        {
          "objects.list": { status: 200, headers: JSON_TYPE, body: JSON.stringify(list) },
          "objects.get": { status: 200, headers: JSON_TYPE, body: JSON.stringify(item) },
        },
        "read",
      );
    },
  },
];

describe("the text report escapes control characters a server sent", () => {
  it.each(ESCAPE_CASES)("escapes $what, keeping the report's own colours", async (row) => {
    const result = await row.probe();

    const text = await renderProbeReport([result], "text", { color: true, env: {} });

    expect(result.detail).toContain(ESCAPES);
    // The report's own colours (ESC [31m / [32m before a chip, ESC [0m after) are the only escapes.
    const escapes = text
      .split("\u001b")
      .slice(1)
      .map((rest) => rest.slice(0, 5));
    expect(text).not.toContain("\u0007");
    expect(escapes.every((e) => ["[31m✗", "[32m✓", "[0m  "].includes(e))).toBe(true);
    expect(text).toContain("\\u001b]0;pwned\\u0007\\u001b[31m");
    expect(escapes.length).toBeGreaterThan(0);
  });
});

describe("runProbes", () => {
  it("reports a probe that throws as Connection failed and still reports the others", async () => {
    const specs = ["s3://b-1/in/", "gs://b-2/in/", "s3://b-3/in/"].map((url) => ({
      target: parseTarget(url, "target"),
      mode: "read" as const,
      use: "jobs" as const,
    }));
    const passing = (target: string): ProbeResult => ({
      target,
      mode: "read",
      status: "ok",
      chip: "✓ Connection OK",
      detail: "",
      operations: [],
    });

    const results = await runProbes(specs, {
      probers: {
        s3: (target) => Promise.resolve(passing(target.url)),
        gcs: () => Promise.reject(new TypeError("Cannot read properties of undefined")),
      },
    });

    expect(results.map((r) => r.status)).toEqual(["ok", "connection-failed", "ok"]);
    expect(results[1]).toMatchObject({
      target: "gs://b-2/in/",
      mode: "read",
      chip: "✗ Connection failed",
    });
    expect(results[1]?.detail).toMatch(/TypeError: Cannot read properties of undefined/);
  });
});
