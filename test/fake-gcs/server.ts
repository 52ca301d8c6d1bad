import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CRC32C } from "@google-cloud/storage";
import { bucketResource, objectResource } from "../../src/gcs/cel.js";
import type { GcsResource } from "../../src/gcs/cel.js";
import { evaluatePermission } from "../../src/gcs/evaluate.js";
import { parseGcsIamPolicy } from "../../src/gcs/policy.js";
import type { GcsIamPolicy } from "../../src/gcs/policy.js";

/**
 * A small fake of the Cloud Storage JSON API for tests (test code, not product code): the routes
 * @google-cloud/storage 7 calls for the probe and the live audit, callers identified by bearer
 * token, IAM enforced with the project's role table and CEL evaluation. See README.md beside this
 * file for where it is simpler than Google's service.
 */

/** One stored object. */
export interface FakeObject {
  data: Buffer;
  generation: number;
  created: Date;
}

/** One bucket and its settings. */
export interface FakeBucket {
  name: string;
  policy: GcsIamPolicy;
  uniformBucketLevelAccess: boolean;
  retentionPeriodSeconds?: number;
  requesterPays: boolean;
  objects: Map<string, FakeObject>;
}

/** Settings of a new bucket. */
export interface BucketSettings {
  policy?: unknown;
  uniformBucketLevelAccess?: boolean;
  retentionPeriodSeconds?: number;
  requesterPays?: boolean;
}

/** One request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  /** The query string, e.g. `?name=x&ifGenerationMatch=0` */
  query: string;
  member?: string;
  status: number;
}

/** A running fake server. */
export interface FakeGcs {
  url: string;
  buckets: Map<string, FakeBucket>;
  requests: SeenRequest[];
  addBucket(name: string, settings?: BucketSettings): FakeBucket;
  putObject(bucket: string, name: string, data?: string): void;
  stop(): Promise<void>;
}

/** Options: bearer token → member, and group → members for group bindings. */
export interface FakeGcsOptions {
  tokens: Record<string, string>;
  groups?: Record<string, string[]>;
}

class HttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/**
 * Starts the fake on 127.0.0.1, port 0.
 * @param options - tokens and groups
 * @returns the running server
 */
export async function startFakeGcs(options: FakeGcsOptions): Promise<FakeGcs> {
  const buckets = new Map<string, FakeBucket>();
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    void handle(req, res, { buckets, requests, options });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    buckets,
    requests,
    addBucket: (name, settings = {}) => addBucket(buckets, name, settings),
    putObject: (bucket, name, data = "") =>
      store(must(buckets.get(bucket)), name, Buffer.from(data)),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("no such bucket in the fake");
  return value;
}

function addBucket(buckets: Map<string, FakeBucket>, name: string, s: BucketSettings): FakeBucket {
  const bucket: FakeBucket = {
    name,
    policy: parseGcsIamPolicy(s.policy ?? { version: 1, bindings: [] }, "policy"),
    uniformBucketLevelAccess: s.uniformBucketLevelAccess ?? true,
    requesterPays: s.requesterPays ?? false,
    objects: new Map(),
    ...(s.retentionPeriodSeconds ? { retentionPeriodSeconds: s.retentionPeriodSeconds } : {}),
  };
  buckets.set(name, bucket);
  return bucket;
}

let generationCounter = 1_700_000_000_000_000;

function store(bucket: FakeBucket, name: string, data: Buffer): FakeObject {
  const object = { data, generation: ++generationCounter, created: new Date() };
  bucket.objects.set(name, object);
  return object;
}

interface State {
  buckets: Map<string, FakeBucket>;
  requests: SeenRequest[];
  options: FakeGcsOptions;
}

interface Call {
  method: string;
  url: URL;
  member?: string;
  body: Buffer;
  contentType: string;
}

async function handle(req: IncomingMessage, res: ServerResponse, state: State): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const seen: SeenRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    query: url.search,
    status: 0,
  };
  state.requests.push(seen);
  try {
    const body = await readBody(req);
    const member = caller(req, state.options);
    if (member) seen.member = member;
    const call: Call = {
      method: seen.method,
      url,
      body,
      contentType: req.headers["content-type"] ?? "",
      ...(member ? { member } : {}),
    };
    const reply = route(call, state);
    seen.status = 200;
    send(res, 200, reply);
  } catch (error) {
    const e =
      error instanceof HttpError ? error : new HttpError(500, String(error), "backendError");
    seen.status = e.code;
    const detail = { message: e.message, domain: "global", reason: e.reason };
    send(res, e.code, { error: { code: e.code, message: e.message, errors: [detail] } });
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (Buffer.isBuffer(body)) {
    res.writeHead(status, { "content-type": "application/octet-stream" }).end(body);
    return;
  }
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body ?? {}));
}

function caller(req: IncomingMessage, options: FakeGcsOptions): string | undefined {
  const header = req.headers.authorization ?? "";
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
  if (token === undefined) return undefined;
  const member = options.tokens[token];
  if (!member) throw new HttpError(401, "Invalid Credentials", "authError");
  return member;
}

function route(call: Call, state: State): unknown {
  const path = call.url.pathname;
  const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(path);
  if (upload && call.method === "POST") return insertObject(call, state, dec(upload[1]));

  const iam = /^\/storage\/v1\/b\/([^/]+)\/iam(\/testPermissions)?$/.exec(path);
  if (iam) return iamRoute(call, state, dec(iam[1]), iam[2] !== undefined);

  const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(path);
  if (object) return objectRoute(call, state, dec(object[1]), dec(object[2]));

  const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(path);
  if (list && call.method === "GET") return listObjects(call, state, dec(list[1]));

  const bucket = /^\/storage\/v1\/b\/([^/]+)$/.exec(path);
  if (bucket && call.method === "GET") return getBucket(call, state, dec(bucket[1]));
  throw new HttpError(404, `Not Found: ${call.method} ${path}`, "notFound");
}

function dec(value: string | undefined): string {
  return decodeURIComponent(value ?? "");
}

function findBucket(state: State, name: string, call: Call, billed = true): FakeBucket {
  const bucket = state.buckets.get(name);
  if (!bucket) throw new HttpError(404, "The specified bucket does not exist.", "notFound");
  if (billed && bucket.requesterPays && !call.url.searchParams.get("userProject")) {
    throw new HttpError(
      400,
      "Bucket is a requester pays bucket but no user project provided.",
      "required",
    );
  }
  return bucket;
}

/** 403 (or 401 for an anonymous caller) unless the policy grants the permission. */
function authorize(
  call: Call,
  state: State,
  bucket: FakeBucket,
  permission: string,
  resource: GcsResource,
): void {
  const member = call.member ?? "allUsers";
  const groups = Object.entries(state.options.groups ?? {})
    .filter(([, members]) => members.includes(member))
    .map(([group]) => group);
  const evaluation = evaluatePermission(bucket.policy, { member, permission, resource, groups });
  if (evaluation.decision === "allowed") return;

  const kind = resource.type.endsWith("Bucket") ? "bucket" : "object";
  const who = call.member ? call.member.slice(call.member.indexOf(":") + 1) : "Anonymous caller";
  const message =
    `${who} does not have ${permission} access to the Google Cloud Storage ${kind}. ` +
    `Permission '${permission}' denied on resource (or it may not exist).`;
  throw new HttpError(call.member ? 403 : 401, message, call.member ? "forbidden" : "required");
}

function getBucket(call: Call, state: State, name: string): unknown {
  const bucket = findBucket(state, name, call);
  authorize(call, state, bucket, "storage.buckets.get", bucketResource(name));

  return {
    kind: "storage#bucket",
    name,
    iamConfiguration: { uniformBucketLevelAccess: { enabled: bucket.uniformBucketLevelAccess } },
    billing: { requesterPays: bucket.requesterPays },
    ...(bucket.retentionPeriodSeconds
      ? { retentionPolicy: { retentionPeriod: String(bucket.retentionPeriodSeconds) } }
      : {}),
  };
}

function listObjects(call: Call, state: State, name: string): unknown {
  const bucket = findBucket(state, name, call);
  authorize(call, state, bucket, "storage.objects.list", bucketResource(name));
  const prefix = call.url.searchParams.get("prefix") ?? "";
  const max = Number(call.url.searchParams.get("maxResults") ?? "1000");

  const names = [...bucket.objects.keys()].filter((n) => n.startsWith(prefix)).sort();
  const items = names.slice(0, max).map((n) => resourceOf(bucket, n, must(bucket.objects.get(n))));
  return {
    kind: "storage#objects",
    items,
    ...(names.length > max ? { nextPageToken: "more" } : {}),
  };
}

function objectRoute(call: Call, state: State, bucketName: string, name: string): unknown {
  const bucket = findBucket(state, bucketName, call);
  const resource = objectResource(bucketName, name);
  if (call.method === "DELETE") return deleteObject(call, state, bucket, name);
  if (call.method !== "GET") throw new HttpError(405, "Method not allowed here", "invalid");

  authorize(call, state, bucket, "storage.objects.get", resource);
  const object = bucket.objects.get(name);
  if (!object) throw new HttpError(404, `No such object: ${bucketName}/${name}`, "notFound");
  if (call.url.searchParams.get("alt") === "media") return object.data;
  return resourceOf(bucket, name, object);
}

function deleteObject(call: Call, state: State, bucket: FakeBucket, name: string): unknown {
  authorize(call, state, bucket, "storage.objects.delete", objectResource(bucket.name, name));
  const object = bucket.objects.get(name);
  if (!object) throw new HttpError(404, `No such object: ${bucket.name}/${name}`, "notFound");
  checkRetention(bucket, name, object);
  bucket.objects.delete(name);
  return {};
}

/**
 * objects.insert. Order: bucket, Requester Pays, ACL parameters under uniform access, the
 * create permission, the generation precondition, then (only when a live object would be
 * replaced) the delete permission and the retention policy.
 */
function insertObject(call: Call, state: State, bucketName: string): unknown {
  const bucket = findBucket(state, bucketName, call);
  const { metadata, media } = parseUpload(call);
  const name = call.url.searchParams.get("name") ?? (metadata.name as string | undefined) ?? "";
  if (name === "") throw new HttpError(400, "Required object name", "required");
  if (call.url.searchParams.has("predefinedAcl") && bucket.uniformBucketLevelAccess) {
    throw new HttpError(
      400,
      "Cannot insert legacy ACL for an object when uniform bucket-level access is enabled. " +
        "Read more at https://cloud.google.com/storage/docs/uniform-bucket-level-access",
      "invalid",
    );
  }
  const resource = objectResource(bucketName, name);
  authorize(call, state, bucket, "storage.objects.create", resource);

  const existing = bucket.objects.get(name);
  checkGenerationMatch(call, existing);
  if (existing) {
    authorize(call, state, bucket, "storage.objects.delete", resource);
    checkRetention(bucket, name, existing);
  }
  return resourceOf(bucket, name, store(bucket, name, media));
}

function checkGenerationMatch(call: Call, existing: FakeObject | undefined): void {
  const wanted = call.url.searchParams.get("ifGenerationMatch");
  if (wanted === null) return;
  const current = existing ? String(existing.generation) : "0";
  if (wanted !== current) {
    throw new HttpError(
      412,
      "At least one of the pre-conditions you specified did not hold.",
      "conditionNotMet",
    );
  }
}

function checkRetention(bucket: FakeBucket, name: string, object: FakeObject): void {
  const period = bucket.retentionPeriodSeconds ?? 0;
  const until = new Date(object.created.getTime() + period * 1000);
  if (until > new Date()) {
    throw new HttpError(
      403,
      `Object '${bucket.name}/${name}' is subject to bucket's retention policy or object ` +
        `retention and cannot be deleted or overwritten until ${until.toISOString()}`,
      "retentionPolicyNotMet",
    );
  }
}

function parseUpload(call: Call): { metadata: Record<string, unknown>; media: Buffer } {
  const boundary = /boundary="?([^";]+)"?/.exec(call.contentType)?.[1];
  if (!boundary) return { metadata: {}, media: call.body };

  const parts = call.body
    .toString("latin1")
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => part.slice(part.indexOf("\r\n\r\n") + 4).replace(/\r\n$/, ""));
  const metadata = JSON.parse(parts[0] ?? "{}") as Record<string, unknown>;
  return { metadata, media: Buffer.from(parts[1] ?? "", "latin1") };
}

function resourceOf(bucket: FakeBucket, name: string, object: FakeObject): unknown {
  const crc = new CRC32C();
  crc.update(object.data);
  return {
    kind: "storage#object",
    id: `${bucket.name}/${name}/${object.generation}`,
    name,
    bucket: bucket.name,
    generation: String(object.generation),
    metageneration: "1",
    size: String(object.data.length),
    md5Hash: createHash("md5").update(object.data).digest("base64"),
    crc32c: crc.toString(),
    timeCreated: object.created.toISOString(),
    updated: object.created.toISOString(),
  };
}

function iamRoute(call: Call, state: State, name: string, test: boolean): unknown {
  const bucket = findBucket(state, name, call, false);
  if (test) return testPermissions(call, state, bucket);
  if (call.method === "GET") {
    authorize(call, state, bucket, "storage.buckets.getIamPolicy", bucketResource(name));
    return { kind: "storage#policy", resourceId: bucketResource(name).name, ...bucket.policy };
  }
  if (call.method !== "PUT") throw new HttpError(405, "Method not allowed here", "invalid");

  authorize(call, state, bucket, "storage.buckets.setIamPolicy", bucketResource(name));
  const policy = parseGcsIamPolicy(JSON.parse(call.body.toString("utf8")), "policy");
  const conditional = policy.bindings.some((b) => b.condition);
  if (conditional && (policy.version !== 3 || !bucket.uniformBucketLevelAccess)) {
    throw new HttpError(
      400,
      "IAM conditions need policy version 3 and uniform bucket-level access on the bucket.",
      "invalid",
    );
  }
  bucket.policy = { ...policy, etag: `etag-${Date.now()}` };
  return { kind: "storage#policy", resourceId: bucketResource(name).name, ...bucket.policy };
}

function testPermissions(call: Call, state: State, bucket: FakeBucket): unknown {
  const wanted = call.url.searchParams.getAll("permissions");
  const granted = wanted.filter((permission) => {
    try {
      authorize(call, state, bucket, permission, bucketResource(bucket.name));
      return true;
    } catch {
      return false;
    }
  });
  return { kind: "storage#testIamPermissionsResponse", permissions: granted };
}
