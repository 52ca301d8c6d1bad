import type { Bucket, Storage } from "@google-cloud/storage";
import { isRecord, mediaType } from "../edge.js";
import { NimbleError } from "../errors.js";
import type { Use } from "../nimble.js";
import { TEST_OBJECT_NAME } from "../nimble.js";
import { assertNotDeleteRequest } from "../policy/guard.js";
import type { Target } from "../probe/target.js";
import type { ProbeMode, ProbeOperation, ProbeResult, ProbeStatus } from "../probe/types.js";
import { CHIPS } from "../probe/types.js";
import { redact } from "../report/redact.js";
import { makeStorage } from "./live.js";
import { BAD_REQUEST_CAUSES, BAD_REQUEST_OTHER, gcsDetail } from "./probe-details.js";

/**
 * Nimble's Test Connection for a gs:// target.
 *
 * Read lists one object under the prefix and reads its metadata. Bucket metadata is not read:
 * Storage Object Viewer and Object Creator lack storage.buckets.get, so reachability is shown by
 * the list call itself (404 = no such bucket, 403 = no storage.objects.list).
 *
 * Write uploads an empty `PREFIX.nimble-connection-test` with `ifGenerationMatch=0` (create
 * only if absent). Replacing an object needs storage.objects.delete, which Nimble's role lacks, so
 * a plain upload would fail on every re-run; with the precondition an existing test object
 * gives 412 instead, after the create permission has been checked, and nothing is replaced.
 * No ACL parameter is ever sent (uniform bucket-level access rejects them with 400).
 * @see https://cloud.google.com/storage/docs/request-preconditions
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects/insert
 * @see https://cloud.google.com/storage/docs/access-control/iam-permissions
 */

/** Options of {@link probeGcs}. */
export interface GcsProbeOptions {
  /**
   * JSON API endpoint (emulators, tests).
   * @default Google's, with Application Default Credentials
   */
  endpoint?: string;
  /** Per-request timeout in ms. @default 10000 */
  timeoutMs?: number;
  /** Jobs or delivery: the same requests either way (no GCS identity for Jobs is documented) */
  use?: Use;
  /** An injected client (tests); it gets the never-delete guard */
  storage?: Storage;
}

/** How a probe ended: its status and the detail line. */
interface Outcome {
  status: ProbeStatus;
  detail: string;
}

/** The outcome of one step: a status to stop with, or nothing to go on. */
type Step = Outcome | undefined;

/**
 * Probes a gs:// target the way Nimble's Test Connection would.
 * @param target - the parsed gs:// target
 * @param mode - read (list + object metadata) or write (create-only upload)
 * @param options - endpoint, timeout, injected client
 * @returns the chip, a one-line detail and the requests sent; never throws for a cloud error
 * @throws NimbleError E_FORBIDDEN_REQUEST if a delete were ever attempted (a bug)
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects/list
 */
export async function probeGcs(
  target: Target,
  mode: ProbeMode,
  options: GcsProbeOptions,
): Promise<ProbeResult> {
  const storage = await makeStorage(options);
  const operations: ProbeOperation[] = [];
  const send = sender(operations);
  const outcome =
    mode === "read"
      ? await probeRead(storage, target, send)
      : await probeWrite(storage, target, send);

  return {
    target: target.url,
    mode,
    status: outcome.status,
    chip: CHIPS[outcome.status],
    detail: redact(outcome.detail),
    operations,
  };
}

type Send = <T>(name: string, call: () => Promise<T>) => Promise<T>;

/** Runs one request through the never-delete guard and records how it ended. */
function sender(operations: ProbeOperation[]): Send {
  return async (name, call) => {
    assertNotDeleteRequest(name);
    try {
      const value = await call();
      operations.push({ name, httpStatus: 200, ok: true });
      return value;
    } catch (error) {
      const status = httpStatus(error);
      operations.push({ name, ...(status === undefined ? {} : { httpStatus: status }), ok: false });
      throw error;
    }
  };
}

/**
 * Read: list one object under the prefix, then read that object's metadata. Both go through
 * {@link getJson} rather than `getFiles`/`getMetadata`: the client's own list code dereferences
 * the body inside a callback, so an empty or `null` 200 body threw out of reach of any catch.
 */
async function probeRead(storage: Storage, target: Target, send: Send): Promise<Outcome> {
  const bucket = storage.bucket(target.bucket);
  const query = { prefix: target.prefix, maxResults: 1 };
  const listed = await send("objects.list", () =>
    getJson(bucket, "/o", query, "storage#objects"),
  ).catch((error: unknown) => classify(error, "objects.list", target));
  if (isOutcome(listed)) return listed;

  const first = firstObjectName(listed);
  if (first === undefined) {
    return { status: "ok-prefix-empty", detail: gcsDetail("listed-empty", target) };
  }
  const uri = `/o/${encodeURIComponent(first)}`;
  const read = await send("objects.get", () => getJson(bucket, uri, {}, "storage#object")).then(
    () => undefined,
    (error: unknown) => classify(error, "objects.get", target),
  );

  return read ?? { status: "ok", detail: readDetail(target, first) };
}

function readDetail(target: Target, object: string): string {
  return gcsDetail("listed-and-read", { url: target.url, object });
}

/** Write: a create-only upload of the empty test object. */
async function probeWrite(storage: Storage, target: Target, send: Send): Promise<Outcome> {
  const name = `${target.prefix}${TEST_OBJECT_NAME}`;
  const file = storage.bucket(target.bucket).file(name);
  try {
    await send("objects.insert", async () => {
      await file.save(Buffer.alloc(0), {
        resumable: false,
        // No hash validation: on a mismatch the client would try to delete the upload.
        validation: false,
        contentType: "text/plain",
        preconditionOpts: { ifGenerationMatch: 0 },
      });
      assertGcsAnswer({ body: file.metadata }, "storage#object");
    });
  } catch (error) {
    return existingTestObject(error, target, name) ?? classify(error, "objects.insert", target);
  }
  return { status: "ok", detail: gcsDetail("created", { url: `gs://${target.bucket}/${name}` }) };
}

/** A JSON API answer: the parsed body (a string when it was not JSON) and its media type. */
interface JsonAnswer {
  body: unknown;
  contentType?: string;
}

/**
 * One GET through the client's authenticated request path (interceptors, the delete guard and
 * all), checked to be the resource `kind` Google documents for it.
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects/list (kind storage#objects)
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects#resource (kind storage#object)
 */
function getJson(
  bucket: Bucket,
  uri: string,
  qs: Record<string, unknown>,
  kind: string,
): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    bucket.request({ uri, qs }, (error: Error | null, body: unknown, response: unknown) => {
      try {
        if (error) throw error;
        const answer = { body, ...optionalType(headerOf(response, "content-type")) };
        assertGcsAnswer(answer, kind);
        resolve(answer);
      } catch (failure) {
        reject(failure instanceof Error ? failure : new Error(String(failure)));
      }
    });
  });
}

/**
 * An answer that is not Cloud Storage's (a captive portal's HTML page, a body that is not JSON,
 * JSON without the documented `kind`), though its HTTP status said success.
 */
class NotCloudStorage extends Error {
  override readonly name = "NotCloudStorage";
  /** The status the answer came with (a 2xx), for the operation log */
  readonly status = 200;
}

function assertGcsAnswer(answer: JsonAnswer, kind: string): void {
  const type = mediaType(answer.contentType);
  if (type !== undefined && !/json/.test(type)) throw new NotCloudStorage(`got ${type}`);
  if (!isRecord(answer.body)) throw new NotCloudStorage("got a body that is not a JSON object");
  if (answer.body.kind !== kind) throw new NotCloudStorage(`got JSON without kind ${kind}`);
}

function firstObjectName(answer: JsonAnswer): string | undefined {
  const items = isRecord(answer.body) ? answer.body.items : undefined;
  const first: unknown = Array.isArray(items) ? items[0] : undefined;
  const name = isRecord(first) ? first.name : undefined;
  return typeof name === "string" ? name : undefined;
}

function headerOf(response: unknown, name: string): string | undefined {
  const headers = isRecord(response) ? response.headers : undefined;
  if (!isRecord(headers)) return undefined;
  const value =
    typeof headers.get === "function"
      ? (headers.get as (n: string) => unknown)(name)
      : headers[name];
  return typeof value === "string" ? value : undefined;
}

function optionalType(contentType: string | undefined): { contentType?: string } {
  return contentType === undefined ? {} : { contentType };
}

function isOutcome(value: Outcome | JsonAnswer): value is Outcome {
  return "status" in value;
}

/**
 * A re-run finds the test object in place. 412: the create permission was checked and passed,
 * only the create-only precondition failed. A 403 naming storage.objects.delete can only come
 * from an existing object too (a new name needs no delete); Nimble's role need not have it.
 */
function existingTestObject(error: unknown, target: Target, name: string): Step {
  const url = `gs://${target.bucket}/${name}`;
  if (httpStatus(error) === 412) {
    return { status: "ok", detail: gcsDetail("test-object-precondition", { url }) };
  }
  if (httpStatus(error) === 403 && missingPermission(error) === "storage.objects.delete") {
    return { status: "ok", detail: gcsDetail("test-object-needs-delete", { url }) };
  }
  return undefined;
}

/**
 * Maps a failed request to a chip, as for S3: 403 names the missing permission, 404 on the
 * bucket is a missing bucket, retention, uniform-access and Requester Pays errors and anything
 * without an HTTP status are connection failures with their cause.
 * @see https://cloud.google.com/storage/docs/json_api/v1/status-codes
 */
export function classify(error: unknown, operation: string, target: Target): Outcome {
  if (error instanceof NimbleError && error.code === "E_FORBIDDEN_REQUEST") throw error;
  const status = httpStatus(error);
  const failure = { cause: `${operation} on ${target.url}`, message: errorMessage(error) };

  if (error instanceof NotCloudStorage) return failed(gcsDetail("not-gcs", failure));
  if (status === undefined) return failed(gcsDetail("unreachable", failure));
  if (status === 404 && isBucketMissing(operation, failure.message)) {
    return { status: "bucket-not-found", detail: gcsDetail("bucket-missing", target) };
  }
  if (status === 403) return classifyForbidden(error, failure);
  if (status === 400) {
    const reason = badRequestCause(failure.message);
    return failed(gcsDetail("bad-request", { ...failure, reason }));
  }
  if (status === 401) return failed(gcsDetail("credentials-rejected", failure));
  return failed(gcsDetail("http-error", { ...failure, status }));
}

/** 403: a retention policy (a connection failure with its cause) or a missing permission. */
function classifyForbidden(error: unknown, failure: { cause: string; message: string }): Outcome {
  if (/retention/i.test(failure.message)) return failed(gcsDetail("retention", failure));

  const permission = missingPermission(error) ?? "a required permission";
  return {
    status: "access-denied",
    detail: gcsDetail("access-denied", { ...failure, permission }),
  };
}

function failed(detail: string): Outcome {
  return { status: "connection-failed", detail };
}

function isBucketMissing(operation: string, message: string): boolean {
  return operation !== "objects.get" || /bucket does not exist/i.test(message);
}

function badRequestCause(message: string): string {
  return BAD_REQUEST_CAUSES.find((c) => c.pattern.test(message))?.reason ?? BAD_REQUEST_OTHER;
}

/**
 * The permission a 403 names, e.g. "x does not have storage.objects.create access to ...".
 * @param error - a client error
 * @returns the permission, or undefined when the message names none
 * @see https://cloud.google.com/storage/docs/json_api/v1/status-codes
 */
export function missingPermission(error: unknown): string | undefined {
  return /\b(storage\.[A-Za-z]+\.[A-Za-z]+)\b/.exec(errorMessage(error))?.[1];
}

/** HTTP status of a client error, by shape (ApiError/GaxiosError carry a numeric `code`). */
function httpStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, status, response } = error as {
    code?: unknown;
    status?: unknown;
    response?: { status?: unknown };
  };
  for (const value of [code, status, response?.status]) {
    if (typeof value === "number" && value >= 100 && value < 600) return value;
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redact(message.split("\n")[0] ?? "");
}
