import type { Storage } from "@google-cloud/storage";
import { assertNotDeleteRequest } from "../policy/guard.js";
import { printable } from "../policy/names.js";
import { redact } from "../report/redact.js";

/**
 * The Cloud Storage client, loaded lazily, and the one place that reads a bucket live. Every
 * request any client made here sends passes the never-delete guard first.
 * @see https://cloud.google.com/nodejs/docs/reference/storage/latest
 */

/** Connection settings. */
export interface GcsClientOptions {
  /** A JSON API endpoint (emulators, tests); Application Default Credentials otherwise */
  endpoint?: string;
  /** Per-request timeout in ms. @default 10000 */
  timeoutMs?: number;
  /** An injected client (tests); it gets the delete guard too */
  storage?: Storage;
}

type Interceptor = Storage["interceptors"][number];

const guarded = new WeakSet<Storage>();

/**
 * Adds, once per client, a request interceptor that throws before a DELETE request is
 * authorized or sent (the client's own clean-up deletes included).
 * @param storage - the client
 * @returns the same client
 * @throws NimbleError E_FORBIDDEN_REQUEST from the request that would delete
 * @see https://cloud.google.com/nodejs/docs/reference/storage/latest/storage/storage#_google_cloud_storage_Storage_interceptors_member
 */
export function guardStorage(storage: Storage): Storage {
  if (guarded.has(storage)) return storage;

  storage.interceptors.push({
    request: (reqOpts) => {
      // Only the method decides: an object may well be named "deleted/...".
      assertNotDeleteRequest(`${reqOpts.method ?? "GET"} request`);
      return reqOpts as ReturnType<Interceptor["request"]>;
    },
  });
  guarded.add(storage);
  return storage;
}

/**
 * The client to use: the injected one, or a new one with ADC (or no auth for an emulator
 * endpoint). Automatic retries are off: a probe reports what happened on the first attempt.
 * The SDK is imported here, lazily, so commands that never reach Cloud Storage do not load it.
 * @param options - endpoint, timeout or an injected client
 * @returns the client, with the never-delete guard
 * @see https://cloud.google.com/nodejs/docs/reference/storage/latest
 */
export async function makeStorage(options: GcsClientOptions): Promise<Storage> {
  if (options.storage) return guardStorage(options.storage);

  const { Storage: StorageClass } = await import("@google-cloud/storage");
  const storage = new StorageClass({
    ...(options.endpoint ? { apiEndpoint: options.endpoint } : {}),
    retryOptions: { autoRetry: false },
    timeout: options.timeoutMs ?? 10_000,
  });
  return guardStorage(storage);
}

/** A bucket's IAM policy and metadata as the JSON API returns them. */
export interface BucketState {
  /** The policy as the server answered (not yet checked); undefined when it could not be read */
  iamPolicy?: unknown;
  metadata?: unknown;
  /** Why the IAM policy could not be read (one line, redacted), when it could not */
  policyError?: string;
}

/**
 * Reads a bucket's IAM policy (requested policy version 3, so conditions are included) and its
 * metadata. Metadata that cannot be read (no storage.buckets.get) is left out; a policy that
 * cannot be read is `policyError`, never a thrown error, so the audit can report it.
 * @param bucket - the bucket name
 * @param options - endpoint or injected client
 * @returns the policy and, when readable, the metadata, as the server answered them
 * @see https://cloud.google.com/storage/docs/json_api/v1/buckets/getIamPolicy
 */
export async function readBucketState(
  bucket: string,
  options: GcsClientOptions,
): Promise<BucketState> {
  const storage = await makeStorage(options);
  const handle = storage.bucket(bucket);
  const policy = await handle.iam.getPolicy({ requestedPolicyVersion: 3 }).then(
    ([iamPolicy]): BucketState => ({ iamPolicy }),
    (error: unknown): BucketState => ({ policyError: errorText(error) }),
  );
  const metadata = await handle.getMetadata().then(
    ([value]) => value as unknown,
    () => undefined,
  );

  return metadata === undefined ? policy : { ...policy, metadata };
}

/** An error as one line: the HTTP status the client reports, then the message, redacted. */
function errorText(error: unknown): string {
  const shape = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const message = typeof shape.message === "string" ? shape.message : String(error);
  const status = typeof shape.code === "number" ? `HTTP ${shape.code}: ` : "";
  return redact(printable(`${status}${message.split("\n")[0] ?? ""}`));
}
