import {
  DeleteObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createProbeClient, probeS3 } from "../../src/probe/s3.js";
import { parseTarget } from "../../src/probe/target.js";
import type { ProbeStatus } from "../../src/probe/types.js";

/**
 * Error shapes Ceph RGW cannot produce, in the shapes SDK v3 gives them (checked against the
 * SDK's own deserializer on a loopback server: a HEAD 301 arrives as name "Unknown" with
 * `$metadata.httpStatusCode` 301 and the `x-amz-bucket-region` header in `$response.headers`).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 */

interface Shape {
  name: string;
  status?: number;
  message?: string;
  headers?: Record<string, string>;
  fields?: Record<string, unknown>;
  attempts?: number;
}

function sdkError(shape: Shape): Error {
  const error = new S3ServiceException({
    name: shape.name,
    $fault: (shape.status ?? 500) >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: shape.status, attempts: shape.attempts ?? 1 },
    message: shape.message ?? "UnknownError",
  });
  const response = { statusCode: shape.status, headers: shape.headers ?? {} };
  return Object.assign(error, { $response: response, ...shape.fields });
}

function networkError(code: string, message: string): Error {
  return Object.assign(new Error(message), {
    code,
    name: code === "TimeoutError" ? code : "Error",
  });
}

/** Cases C17 and C19, copied from the shared cases corpus: their `must_not` lists are the oracle. */
const cases = JSON.parse(
  readFileSync(new URL("fixtures/probe-error-cases.json", import.meta.url), "utf8"),
) as { id: string; expected: { must_not?: string[] } }[];
const mustNot = (id: string): string[] => cases.find((c) => c.id === id)?.expected.must_not ?? [];

const target = parseTarget("s3://example-bucket/output/", "target");
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example-secret-key" };

afterEach(() => {
  mockClient(S3Client).restore();
});

interface Case {
  name: string;
  mode: "read" | "write";
  failing: "HeadBucket" | "ListObjectsV2" | "PutObject";
  error: Error;
  status: ProbeStatus;
  detail: RegExp;
  /** Chips the case's oracle forbids */
  mustNot?: string[];
}

const TABLE: Case[] = [
  {
    name: "reports the region of a HeadBucket 301 and never a missing bucket (C19)",
    mode: "read",
    failing: "HeadBucket",
    error: sdkError({
      name: "Unknown",
      status: 301,
      headers: { "x-amz-bucket-region": "eu-west-1" },
    }),
    status: "connection-failed",
    detail: /bucket example-bucket exists, in region eu-west-1/,
    mustNot: mustNot("C19"),
  },
  {
    name: "reads the region from a ListObjectsV2 PermanentRedirect endpoint (C19)",
    mode: "read",
    failing: "ListObjectsV2",
    error: sdkError({
      name: "PermanentRedirect",
      status: 301,
      fields: { Code: "PermanentRedirect", Endpoint: "example-bucket.s3-eu-west-1.amazonaws.com" },
    }),
    status: "connection-failed",
    detail: /in region eu-west-1/,
    mustNot: mustNot("C19"),
  },
  {
    name: "maps a HeadBucket 404 to a missing bucket (C19 contrast)",
    mode: "read",
    failing: "HeadBucket",
    error: sdkError({ name: "NotFound", status: 404 }),
    status: "bucket-not-found",
    detail: /bucket example-bucket does not exist/,
  },
  {
    name: "maps a HeadBucket 403 with no error code to Access denied (C19 contrast)",
    mode: "read",
    failing: "HeadBucket",
    error: sdkError({ name: "Forbidden", status: 403 }),
    status: "access-denied",
    detail: /s3:ListBucket on arn:aws:s3:::example-bucket/,
  },
  {
    name: "keeps a 400 AccessControlListNotSupported out of Access denied (C17)",
    mode: "write",
    failing: "PutObject",
    error: sdkError({
      name: "AccessControlListNotSupported",
      status: 400,
      message: "The bucket does not allow ACLs",
      fields: { Code: "AccessControlListNotSupported" },
    }),
    status: "connection-failed",
    detail: /ACLs disabled \(Object Ownership: bucket owner enforced\)/,
    mustNot: mustNot("C17"),
  },
  {
    name: "reports 503 SlowDown after the SDK's retries as Connection failed",
    mode: "write",
    failing: "PutObject",
    error: sdkError({
      name: "SlowDown",
      status: 503,
      attempts: 3,
      message: "Please reduce your request rate.",
    }),
    status: "connection-failed",
    detail: /throttled \(HTTP 503 SlowDown\) after 3 attempts/,
  },
  {
    name: "reports 429 throttling as Connection failed",
    mode: "read",
    failing: "HeadBucket",
    error: sdkError({ name: "TooManyRequests", status: 429, attempts: 3 }),
    status: "connection-failed",
    detail: /throttled \(HTTP 429/,
  },
  {
    name: "reports a 500 InternalError as Connection failed",
    mode: "read",
    failing: "ListObjectsV2",
    error: sdkError({
      name: "InternalError",
      status: 500,
      attempts: 3,
      fields: { Code: "InternalError" },
    }),
    status: "connection-failed",
    detail: /server error \(HTTP 500 InternalError\) after 3 attempts/,
  },
  {
    name: "reports a request timeout as Connection failed with the cause",
    mode: "read",
    failing: "HeadBucket",
    error: networkError("TimeoutError", "Connection timed out after 10000 ms"),
    status: "connection-failed",
    detail: /HeadBucket timed out \(Connection timed out after 10000 ms\)/,
  },
  {
    name: "names the KMS key policy when an SSE-KMS write is denied",
    mode: "write",
    failing: "PutObject",
    error: sdkError({
      name: "AccessDenied",
      status: 403,
      message: "User is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:…",
      fields: { Code: "AccessDenied" },
    }),
    status: "access-denied",
    detail: /key policy must allow kms:GenerateDataKey/,
  },
  {
    name: "treats rejected credentials as Connection failed, not a missing grant",
    mode: "read",
    failing: "HeadBucket",
    error: sdkError({
      name: "InvalidAccessKeyId",
      status: 403,
      fields: { Code: "InvalidAccessKeyId" },
    }),
    status: "connection-failed",
    detail: /credentials were rejected \(InvalidAccessKeyId/,
  },
  {
    name: "keeps an unknown 400 as Connection failed with the code",
    mode: "write",
    failing: "PutObject",
    error: sdkError({
      name: "InvalidArgument",
      status: 400,
      message: "x",
      fields: { Code: "InvalidArgument" },
    }),
    status: "connection-failed",
    detail: /PutObject failed with HTTP 400 InvalidArgument: x/,
  },
];

describe("probeS3 error mapping (aws-sdk-client-mock)", () => {
  it.each(TABLE)("$name", async (row) => {
    const client = new S3Client({ region: "us-east-1", credentials });
    const mock = mockClient(client);
    mock.on(HeadBucketCommand).resolves({ $metadata: { httpStatusCode: 200 } });
    mock.on(ListObjectsV2Command).resolves({ $metadata: { httpStatusCode: 200 }, KeyCount: 0 });
    mock.on(PutObjectCommand).resolves({ $metadata: { httpStatusCode: 200 } });
    if (row.failing === "HeadBucket") mock.on(HeadBucketCommand).rejects(row.error);
    if (row.failing === "ListObjectsV2") mock.on(ListObjectsV2Command).rejects(row.error);
    if (row.failing === "PutObject") mock.on(PutObjectCommand).rejects(row.error);

    const result = await probeS3(target, row.mode, { client });

    expect(result.status).toBe(row.status);
    expect(result.detail).toMatch(row.detail);
    for (const chip of row.mustNot ?? []) expect(result.chip).not.toContain(chip);
    expect(result.operations.at(-1)).toMatchObject({ name: row.failing, ok: false });
  });

  it("follows a 301 to the named region once and finishes the probe there (C19)", async () => {
    const mock = mockClient(S3Client);
    const redirect = sdkError({
      name: "Unknown",
      status: 301,
      headers: { "x-amz-bucket-region": "eu-west-1" },
    });
    const regions: string[] = [];
    mock.on(HeadBucketCommand).callsFake(async (_input, getClient: () => S3Client) => {
      const region = await getClient().config.region();
      regions.push(region);
      if (region === "us-east-1") throw redirect;
      return { $metadata: { httpStatusCode: 200 } };
    });
    mock.on(PutObjectCommand).resolves({ $metadata: { httpStatusCode: 200 } });

    const result = await probeS3(target, "write", { region: "us-east-1", credentials });

    expect(regions).toEqual(["us-east-1", "eu-west-1"]);
    expect(result.status).toBe("ok");
    expect(result.detail).toMatch(/bucket is in eu-west-1/);
    expect(result.operations.map((op) => [op.name, op.httpStatus ?? null])).toEqual([
      ["HeadBucket", 301],
      ["HeadBucket", 200],
      ["PutObject", 200],
    ]);
  });

  it("sends PutObject with an empty body and no ACL header (C17's fix)", async () => {
    const client = new S3Client({ region: "us-east-1", credentials });
    const mock = mockClient(client);
    mock.on(HeadBucketCommand).resolves({ $metadata: { httpStatusCode: 200 } });
    mock.on(PutObjectCommand).resolves({ $metadata: { httpStatusCode: 200 } });

    await probeS3(target, "write", { client });

    const input = mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Bucket: "example-bucket",
      Key: "output/.nimble-connection-test",
      ContentLength: 0,
    });
    expect(input?.ACL).toBeUndefined();
  });
});

describe("the delete guard", () => {
  it("refuses DeleteObject before anything reaches the server", async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = await createProbeClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      forcePathStyle: true,
      credentials,
    });

    const sent = client.send(
      new DeleteObjectCommand({ Bucket: "example-bucket", Key: "output/x" }),
    );

    await expect(sent).rejects.toMatchObject({ code: "E_FORBIDDEN_REQUEST" });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(requests).toEqual([]);
  });
});
