import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import type * as S3Sdk from "./sdk.js";
import type { Use } from "../nimble.js";
import { TEST_OBJECT_NAME } from "../nimble.js";
import type { Classification, OperationContext, S3Operation } from "./classify.js";
import { classifyS3Error } from "./classify.js";
import { checkS3Answers } from "./answer.js";
import { guardAgainstDeletes } from "./guard.js";
import type { Target } from "./target.js";
import type { ProbeMode, ProbeOperation, ProbeResult, ProbeStatus } from "./types.js";
import { CHIPS } from "./types.js";

/**
 * Nimble's Test Connection against S3, step by step as Nimble documents it.
 * @see ../shared/nimble/facts.md section 3
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 */

/** How to reach S3. Every field is optional: the SDK's standard chains fill the rest. */
export interface S3ProbeOptions {
  /** Which Nimble identity the probe stands for. @default "jobs" */
  use?: Use;
  /**
   * S3-compatible endpoint; without it the SDK reads AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the
   * profile
   */
  endpoint?: string;
  /** Region; without it the SDK's chain (AWS_REGION, profile), else "us-east-1" */
  region?: string;
  /** Path-style addressing (most S3-compatible servers). @default false */
  forcePathStyle?: boolean;
  /** Per-request timeout in ms. @default 10000 */
  timeoutMs?: number;
  /**
   * Attempts per request, retries with backoff on throttling, 5xx and network errors.
   * @default 3
   */
  maxAttempts?: number;
  /** Explicit credentials; without them the SDK's default chain (env, profile, SSO, IMDS) */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** A ready client (tests, library callers); the probe installs its delete guard on it */
  client?: S3Client;
}

/** @default timeout of one request */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** @default attempts per request (the SDK's standard retry mode) */
export const DEFAULT_MAX_ATTEMPTS = 3;

type Sdk = typeof S3Sdk;

/**
 * Probes one S3 target. Jobs: HeadBucket, then (read) ListObjectsV2 with MaxKeys 1 and HeadObject
 * on the key found, or (write) PutObject of an empty `PREFIX.nimble-connection-test` with no ACL.
 * Delivery: GetBucketLocation instead of HeadBucket (that identity has no s3:ListBucket), write
 * only. A 301 naming another region is followed once. Never throws for an S3 outcome: failures are
 * results.
 * @param target - an s3:// target
 * @param mode - read (input path) or write (output path)
 * @param options - connection settings and an optional client
 * @returns the chip, a one-line detail and every operation sent
 * @throws NimbleError E_USAGE for a read probe with use "delivery"
 */
export async function probeS3(
  target: Target,
  mode: ProbeMode,
  options: S3ProbeOptions = {},
): Promise<ProbeResult> {
  const use = options.use ?? "jobs";
  const sdk = await import("./sdk.js");
  const session = new Session(sdk, target, options, await clientFor(sdk, options));
  const steps = mode === "read" ? readSteps : writeSteps;

  const outcome = await session
    .run(use === "delivery" ? "GetBucketLocation" : "HeadBucket", use)
    .then((failed) => failed ?? steps(session, use));
  return result(target, mode, outcome, session);
}

/**
 * Creates the S3 client the probe uses (guarded against deletes), from the same options.
 * @param options - endpoint, region, path style, timeout, attempts, credentials
 * @returns a client whose `send` refuses every Delete* command and every answer that is not S3's
 */
export async function createProbeClient(options: S3ProbeOptions = {}): Promise<S3Client> {
  return clientFor(await import("./sdk.js"), options);
}

interface Outcome {
  status: ProbeStatus;
  detail: string;
}

type Steps = (session: Session, use: Use) => Promise<Outcome>;

const readSteps: Steps = async (session, use) => {
  if (use === "delivery") {
    return {
      status: "connection-failed",
      detail: "delivery has no read access; probe with --write",
    };
  }
  const listed = await session.list();
  if ("status" in listed) return listed;
  if (listed.key === undefined) {
    return {
      status: "ok-prefix-empty",
      detail: `no object under ${session.target.url} yet; upload the first input file`,
    };
  }

  const failed = await session.run("HeadObject", use, listed.key);
  return failed ?? { status: "ok", detail: `listed and read ${listed.key}` };
};

const writeSteps: Steps = async (session, use) => {
  const key = `${session.target.prefix}${TEST_OBJECT_NAME}`;
  const failed = await session.run("PutObject", use, key);

  return (
    failed ?? { status: "ok", detail: `wrote the empty test object ${key} (re-runs overwrite it)` }
  );
};

/** One probe's client, region and operation log. */
class Session {
  readonly operations: ProbeOperation[] = [];
  note = "";
  private followed = false;

  constructor(
    private readonly sdk: Sdk,
    readonly target: Target,
    private readonly options: S3ProbeOptions,
    private client: S3Client,
  ) {}

  /** Sends one operation; returns an outcome only when it failed. */
  async run(operation: S3Operation, use: Use, key = ""): Promise<Outcome | undefined> {
    const sent = await this.send(operation, key, use);
    return "status" in sent ? sent : undefined;
  }

  /** ListObjectsV2 with the prefix and MaxKeys 1: the first key, if any. */
  async list(): Promise<Outcome | { key?: string }> {
    return this.send("ListObjectsV2", this.target.prefix, "jobs");
  }

  private async send(
    operation: S3Operation,
    key: string,
    use: Use,
  ): Promise<Outcome | { key?: string }> {
    try {
      const output = await this.request(operation, key);
      this.log(operation, output.$metadata.httpStatusCode, true);
      return { key: firstKey(output) };
    } catch (error) {
      const context: OperationContext = { operation, bucket: this.target.bucket, key, use };
      const failure = classifyS3Error(error, context);
      this.log(operation, failure.httpStatus, false);
      if (await this.follow(failure)) return this.send(operation, key, use);
      return failure;
    }
  }

  /** Re-creates the client in the region a 301 named, once, unless the client was injected. */
  private async follow(failure: Classification): Promise<boolean> {
    if (!failure.region || this.followed || this.options.client) return false;

    this.followed = true;
    this.note = ` (bucket is in ${failure.region}; the probe followed S3's redirect there)`;
    this.client = await clientFor(this.sdk, { ...this.options, region: failure.region });
    return true;
  }

  private request(operation: S3Operation, key: string): Promise<S3Output> {
    const [client, sdk, Bucket] = [this.client, this.sdk, this.target.bucket];
    switch (operation) {
      case "HeadBucket":
        return client.send(new sdk.HeadBucketCommand({ Bucket }));
      case "GetBucketLocation":
        return client.send(new sdk.GetBucketLocationCommand({ Bucket }));
      case "ListObjectsV2":
        return client.send(new sdk.ListObjectsV2Command({ Bucket, Prefix: key, MaxKeys: 1 }));
      case "HeadObject":
        return client.send(new sdk.HeadObjectCommand({ Bucket, Key: key }));
      case "PutObject":
        return client.send(
          new sdk.PutObjectCommand({ Bucket, Key: key, Body: EMPTY, ContentLength: 0 }),
        );
    }
  }

  private log(name: S3Operation, httpStatus: number | undefined, ok: boolean): void {
    this.operations.push({ name, ...(httpStatus === undefined ? {} : { httpStatus }), ok });
  }
}

const EMPTY = new Uint8Array(0);

interface S3Output {
  $metadata: { httpStatusCode?: number };
  Contents?: { Key?: string }[];
}

function firstKey(output: S3Output): string | undefined {
  return output.Contents?.[0]?.Key;
}

function result(target: Target, mode: ProbeMode, outcome: Outcome, session: Session): ProbeResult {
  return {
    target: target.url,
    mode,
    status: outcome.status,
    chip: CHIPS[outcome.status],
    detail: `${outcome.detail}${session.note}`,
    operations: session.operations,
  };
}

async function clientFor(sdk: Sdk, options: S3ProbeOptions): Promise<S3Client> {
  if (options.client) return checkS3Answers(guardAgainstDeletes(options.client));

  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const config: S3ClientConfig = {
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    requestHandler: { requestTimeout: timeout, connectionTimeout: timeout },
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.forcePathStyle ? { forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const region = options.region ?? (await defaultRegion(sdk, config));

  return checkS3Answers(guardAgainstDeletes(new sdk.S3Client({ ...config, region })));
}

/** The SDK's own region chain (AWS_REGION, AWS_DEFAULT_REGION, profile), else us-east-1. */
async function defaultRegion(sdk: Sdk, config: S3ClientConfig): Promise<string> {
  const probe = new sdk.S3Client(config);
  try {
    return await probe.config.region();
  } catch {
    return "us-east-1";
  } finally {
    probe.destroy();
  }
}
