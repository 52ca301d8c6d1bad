import type { Storage } from "@google-cloud/storage";
import { NimbleError } from "../errors.js";
import type { Use } from "../nimble.js";
import { TEST_OBJECT_NAME } from "../nimble.js";
import { assertNotDeleteRequest } from "../policy/guard.js";
import type { Target } from "../probe/target.js";
import type { ProbeMode, ProbeOperation, ProbeResult, ProbeStatus } from "../probe/types.js";
import { CHIPS } from "../probe/types.js";
import { redact } from "../report/redact.js";
import { makeStorage } from "./live.js";

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
  /** JSON API endpoint (emulators, tests). @default Google's, with Application Default Credentials */
  endpoint?: string;
  /** Per-request timeout in ms. @default 10000 */
  timeoutMs?: number;
  /** Jobs or delivery: the same requests either way (no GCS identity for Jobs is documented) */
  use?: Use;
  /** An injected client (tests); it gets the never-delete guard */
  storage?: Storage;
}

/** The outcome of one step: a status to stop with, or nothing to go on. */
type Step = { status: ProbeStatus; detail: string } | undefined;

/**
 * Probes a gs:// target the way Nimble's Test Connection would.
 * @param target - the parsed gs:// target
 * @param mode - read (list + object metadata) or write (create-only upload)
 * @param options - endpoint, timeout, injected client
 * @returns the chip, a one-line detail and the requests sent; never throws for a cloud error
 * @throws NimbleError E_FORBIDDEN_REQUEST if a delete were ever attempted (a bug)
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

async function probeRead(
  storage: Storage,
  target: Target,
  send: Send,
): Promise<{ status: ProbeStatus; detail: string }> {
  const bucket = storage.bucket(target.bucket);
  let files;
  try {
    [files] = await send("objects.list", () =>
      bucket.getFiles({ prefix: target.prefix, maxResults: 1, autoPaginate: false }),
    );
  } catch (error) {
    return classify(error, "objects.list", target);
  }

  const first = files[0];
  if (!first) {
    return { status: "ok-prefix-empty", detail: `listed ${target.url}: no objects yet` };
  }
  try {
    await send("objects.get", () => first.getMetadata());
  } catch (error) {
    return classify(error, "objects.get", target);
  }
  return { status: "ok", detail: `listed ${target.url} and read the metadata of ${first.name}` };
}

async function probeWrite(
  storage: Storage,
  target: Target,
  send: Send,
): Promise<{ status: ProbeStatus; detail: string }> {
  const name = `${target.prefix}${TEST_OBJECT_NAME}`;
  const file = storage.bucket(target.bucket).file(name);
  try {
    await send("objects.insert", () =>
      file.save(Buffer.alloc(0), {
        resumable: false,
        // No hash validation: on a mismatch the client would try to delete the upload.
        validation: false,
        contentType: "text/plain",
        preconditionOpts: { ifGenerationMatch: 0 },
      }),
    );
  } catch (error) {
    return existingTestObject(error, target, name) ?? classify(error, "objects.insert", target);
  }
  return { status: "ok", detail: `created gs://${target.bucket}/${name} (create-only upload)` };
}

/**
 * A re-run finds the test object in place. 412: the create permission was checked and passed,
 * only the create-only precondition failed. A 403 naming storage.objects.delete can only come
 * from an existing object too (a new name needs no delete); Nimble's role need not have it.
 */
function existingTestObject(error: unknown, target: Target, name: string): Step {
  const url = `gs://${target.bucket}/${name}`;
  if (httpStatus(error) === 412) {
    return {
      status: "ok",
      detail:
        `the test object ${url} already existed: the create-only upload (ifGenerationMatch=0) ` +
        "got 412 after the create permission was checked, so nothing was replaced",
    };
  }
  if (httpStatus(error) === 403 && missingPermission(error) === "storage.objects.delete") {
    return {
      status: "ok",
      detail:
        `the test object ${url} already existed and Google asked for storage.objects.delete ` +
        "to replace it, which Nimble's role does not need; create was not re-checked",
    };
  }
  return undefined;
}

/**
 * Maps a failed request to a chip, as for S3: 403 names the missing permission, 404 on the
 * bucket is a missing bucket, retention, uniform-access and Requester Pays errors and anything
 * without an HTTP status are connection failures with their cause.
 * @see https://cloud.google.com/storage/docs/json_api/v1/status-codes
 */
export function classify(
  error: unknown,
  operation: string,
  target: Target,
): { status: ProbeStatus; detail: string } {
  if (error instanceof NimbleError && error.code === "E_FORBIDDEN_REQUEST") throw error;
  const status = httpStatus(error);
  const message = errorMessage(error);
  const cause = `${operation} on ${target.url}`;

  if (status === undefined) return failed(`${cause} could not reach Cloud Storage: ${message}`);
  if (status === 404 && isBucketMissing(operation, message)) {
    return { status: "bucket-not-found", detail: `gs://${target.bucket} does not exist (404)` };
  }
  if (status === 403 && /retention/i.test(message)) {
    return failed(`${cause}: blocked by a retention policy (403): ${message}`);
  }
  if (status === 403) {
    const permission = missingPermission(error) ?? "a required permission";
    return { status: "access-denied", detail: `${cause}: the caller lacks ${permission} (403)` };
  }
  if (status === 400) return failed(`${cause}: ${badRequestCause(message)} (400): ${message}`);
  if (status === 401) return failed(`${cause}: the credentials were rejected (401)`);
  return failed(`${cause} failed with HTTP ${status}: ${message}`);
}

function failed(detail: string): { status: ProbeStatus; detail: string } {
  return { status: "connection-failed", detail };
}

function isBucketMissing(operation: string, message: string): boolean {
  return operation !== "objects.get" || /bucket does not exist/i.test(message);
}

function badRequestCause(message: string): string {
  if (/requester pays|UserProjectMissing/i.test(message)) {
    return "the bucket has Requester Pays on and no billing project was sent";
  }
  if (/uniform bucket-level access|legacy ACL/i.test(message)) {
    return "uniform bucket-level access refuses ACL parameters";
  }
  return "the request was refused";
}

/** The permission a 403 names, e.g. "x does not have storage.objects.create access to ...". */
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
