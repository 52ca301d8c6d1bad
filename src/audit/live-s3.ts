import { guardAgainstDeletes } from "../probe/guard.js";
import type { KMSClient } from "@aws-sdk/client-kms";
import type { S3Client } from "@aws-sdk/client-s3";
import { NimbleError } from "../errors.js";
import { isAwsKeyManager, isSseKms } from "../policy/kms-key.js";
import { printable } from "../policy/names.js";
import { parsePolicyText } from "../policy/parse.js";
import type { S3AuditInput } from "./audit-s3.js";
import type { DefaultEncryption, KeyMetadata, SourcedPolicy } from "./checks/types.js";
import type { Finding } from "./types.js";
import { redact } from "../report/redact.js";
import { couldNotRead, messageWithoutSource, severityOf } from "./run-checks.js";

/**
 * Reads a bucket's policy and settings live, with the standard AWS credential chain, and returns
 * them as audit input. Every read the auditor is not allowed to make becomes an
 * AUDIT-COULD-NOT-READ finding instead of an error. Only Get/Describe calls are sent.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
 */

/** What to audit live. */
export type LiveS3Target = Omit<
  S3AuditInput,
  | "bucketPolicy"
  | "keyPolicy"
  | "keyMetadata"
  | "encryption"
  | "ownership"
  | "objectLockEnabled"
  | "requesterPays"
  | "readFindings"
>;

/** Clients and endpoint settings for a live audit. */
export interface LiveS3Options {
  /** An S3 client to use (tests); otherwise one is made from the options below */
  s3?: S3Client;
  /** A KMS client to use (tests); otherwise one is made for the key's region */
  kms?: KMSClient;
  /** S3 endpoint URL; the SDK also reads AWS_ENDPOINT_URL(_S3) itself */
  endpoint?: string;
  /** @default false */
  pathStyle?: boolean;
  /** @default the SDK's region chain, else us-east-1 */
  region?: string;
}

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  cause?: SdkError;
  errors?: SdkError[];
  $metadata?: { httpStatusCode?: number };
}

/** Outcome of one read: a value, "absent" (the setting is not configured) or a failure. */
type Read<T> = { value: T } | { absent: true } | { failed: string; name?: string };

/**
 * @param target - bucket, use, prefixes, principal
 * @param options - clients or endpoint settings
 * @returns the audit input, with AUDIT-COULD-NOT-READ findings for what could not be read
 */
export async function readS3AuditInput(
  target: LiveS3Target,
  options: LiveS3Options = {},
): Promise<S3AuditInput> {
  // The audit only reads, but every S3 client nimble-bucket sends through refuses deletes.
  const s3 = guardAgainstDeletes(options.s3 ?? (await makeS3Client(options)));
  const sdk = await import("@aws-sdk/client-s3");
  const bucket = target.bucket;
  const findings: Finding[] = [];
  const failedNames: (string | undefined)[] = [];
  let reads = 0;
  const read = async <T>(what: string, call: () => Promise<Read<T>>): Promise<T | undefined> => {
    reads += 1;
    const result = await call();
    if ("failed" in result) {
      findings.push(couldNotRead(what, `s3://${bucket}`, result.failed));
      failedNames.push(result.name);
    }
    return "value" in result ? result.value : undefined;
  };

  const policySource = `bucket policy of s3://${bucket}`;
  const bucketPolicy = await read("the bucket policy (s3:GetBucketPolicy)", () =>
    attempt(
      () => s3.send(new sdk.GetBucketPolicyCommand({ Bucket: bucket })),
      (out) => policyAnswer(out.Policy, policySource),
      ["NoSuchBucketPolicy"],
    ),
  );
  const absentPolicy = bucketPolicy === undefined && findings.length === 0;
  if (failedNames[0] === "NoSuchBucket") return missingBucket(target);
  const encryption = await read("default encryption (s3:GetEncryptionConfiguration)", () =>
    attempt(
      () => s3.send(new sdk.GetBucketEncryptionCommand({ Bucket: bucket })),
      (out): DefaultEncryption => {
        const sse =
          out.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
        return { SSEAlgorithm: sse?.SSEAlgorithm, KMSMasterKeyID: sse?.KMSMasterKeyID };
      },
      ["ServerSideEncryptionConfigurationNotFoundError"],
    ),
  );
  const ownership = await read("Object Ownership (s3:GetBucketOwnershipControls)", () =>
    attempt(
      () => s3.send(new sdk.GetBucketOwnershipControlsCommand({ Bucket: bucket })),
      (out) => out.OwnershipControls?.Rules?.[0]?.ObjectOwnership as string | undefined,
      // Without ownership controls a bucket behaves as ObjectWriter, but servers that do not
      // implement the call (Ceph RGW 16) answer the same way: report nothing rather than guess.
      ["OwnershipControlsNotFoundError"],
    ),
  );
  const objectLock = await read("Object Lock (s3:GetBucketObjectLockConfiguration)", () =>
    attempt(
      () => s3.send(new sdk.GetObjectLockConfigurationCommand({ Bucket: bucket })),
      (out) => out.ObjectLockConfiguration?.ObjectLockEnabled === "Enabled",
      ["ObjectLockConfigurationNotFoundError"],
    ),
  );
  const payer = await read("Requester Pays (s3:GetBucketRequestPayment)", () =>
    attempt(
      () => s3.send(new sdk.GetBucketRequestPaymentCommand({ Bucket: bucket })),
      (out) => out.Payer === "Requester",
      [],
    ),
  );
  const key = await readKey(encryption, options, findings, bucket);

  return {
    ...target,
    bucketPolicy: absentPolicy
      ? { document: { Statement: [] }, source: policySource }
      : bucketPolicy,
    encryption,
    ownership,
    objectLockEnabled: objectLock,
    requesterPays: payer,
    ...key,
    readFindings: findings,
    ...(failedNames.length === reads && { nothingRead: true }),
  };
}

async function readKey(
  encryption: DefaultEncryption | undefined,
  options: LiveS3Options,
  findings: Finding[],
  bucket: string,
): Promise<Pick<S3AuditInput, "keyMetadata" | "keyPolicy" | "keyPolicyReadFailed">> {
  const keyId = encryption?.KMSMasterKeyID;
  if (!keyId || !isSseKms(encryption.SSEAlgorithm)) return {};

  const result = await readKeyPolicy(keyId, options);
  for (const [what, reason] of result.failures)
    findings.push(couldNotRead(what, `s3://${bucket}`, reason));
  const failed = result.keyPolicy === undefined && result.failures.length > 0;
  return {
    keyMetadata: result.keyMetadata,
    keyPolicy: result.keyPolicy,
    ...(failed && { keyPolicyReadFailed: true }),
  };
}

/**
 * Reads a KMS key's metadata (DescribeKey) and, for a customer managed key, its policy
 * (GetKeyPolicy with PolicyName "default", the only name KMS accepts).
 * @param keyId - key id, alias or ARN
 * @param options - a KMS client, or the region to make one for
 * @returns the metadata and policy that could be read, and the reads that failed
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
 */
export async function readKeyPolicy(
  keyId: string,
  options: Pick<LiveS3Options, "kms" | "region">,
): Promise<{ keyMetadata?: KeyMetadata; keyPolicy?: SourcedPolicy; failures: [string, string][] }> {
  const sdk = await import("@aws-sdk/client-kms");
  const region = keyId.startsWith("arn:") ? keyId.split(":")[3] : options.region;
  const kms = options.kms ?? new sdk.KMSClient(region ? { region } : {});
  const failures: [string, string][] = [];

  const described = await attempt(
    () => kms.send(new sdk.DescribeKeyCommand({ KeyId: keyId })),
    (out): KeyMetadata => ({
      KeyId: out.KeyMetadata?.KeyId,
      Arn: out.KeyMetadata?.Arn,
      KeyManager: out.KeyMetadata?.KeyManager,
    }),
    [],
  );
  if ("failed" in described) failures.push([`key ${keyId} (kms:DescribeKey)`, described.failed]);
  const keyMetadata = "value" in described ? described.value : undefined;
  if (isAwsKeyManager(keyMetadata?.KeyManager)) return { keyMetadata, failures };

  const source = `key policy of ${keyMetadata?.Arn ?? keyId}`;
  const policy = await attempt(
    () => kms.send(new sdk.GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" })),
    (out) => policyAnswer(out.Policy, source),
    [],
  );
  if ("failed" in policy)
    failures.push([`the policy of key ${keyId} (kms:GetKeyPolicy)`, policy.failed]);
  return { keyMetadata, keyPolicy: "value" in policy ? policy.value : undefined, failures };
}

async function attempt<Out, T>(
  call: () => Promise<Out>,
  map: (out: Out) => T,
  absentErrors: readonly string[],
): Promise<Read<T>> {
  try {
    return { value: map(await call()) };
  } catch (error) {
    const shape = error as SdkError;
    if (shape.name && absentErrors.includes(shape.name)) return { absent: true };
    if (shape.$metadata?.httpStatusCode === 501 || shape.name === "NotImplemented")
      return { absent: true };
    return { failed: failureText(error), ...(shape.name ? { name: shape.name } : {}) };
  }
}

/**
 * What went wrong, for a finding: the error's name and code, the HTTP status when there is one,
 * and its first message line, through redact(). A network error says e.g. `Error ECONNREFUSED:
 * connect ECONNREFUSED 127.0.0.1:9`, not just `Error`.
 * @param error - what the SDK threw
 * @returns one line
 */
export function failureText(error: unknown): string {
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkError;
  const name = typeof shape.name === "string" ? shape.name : "Error";
  const code = errorCode(shape);
  const status = shape.$metadata?.httpStatusCode;
  const message = (typeof shape.message === "string" ? shape.message : String(error)).split(
    "\n",
  )[0];
  const head = `${name}${code && code !== name ? ` ${code}` : ""}${status ? ` (HTTP ${status})` : ""}`;

  return redact(message && message !== name ? `${head}: ${message}` : head);
}

/** A Node system error's code, also when the SDK wraps it (AggregateError, `cause`). */
function errorCode(shape: SdkError): string | undefined {
  const nested = [shape, shape.cause, ...(shape.errors ?? [])];
  const found = nested.find((e) => typeof e?.code === "string");
  return found?.code;
}

function missingBucket(target: LiveS3Target): S3AuditInput {
  const finding: Finding = {
    id: "S3-BUCKET-NOT-FOUND",
    severity: severityOf("S3-BUCKET-NOT-FOUND"),
    message: `s3://${target.bucket} does not exist (NoSuchBucket)`,
    location: { source: `s3://${target.bucket}` },
  };
  return { ...target, bucketMissing: true, readFindings: [finding] };
}

/** A server's answer that is not what the API documents (HTML, empty, not a policy). */
class BadAnswer extends Error {
  override readonly name = "BadAnswer";
}

/**
 * A policy as the server returned it, parsed with duplicate keys refused. What is not a policy
 * (an HTML page from a proxy, an empty 200, a key given twice) is a bad answer: the caller's
 * AUDIT-COULD-NOT-READ, never a usage error, since the user typed nothing wrong.
 * @param text - the Policy field of GetBucketPolicy or GetKeyPolicy
 * @param source - e.g. `bucket policy of s3://B`
 * @returns the policy with its source
 * @throws BadAnswer saying what is wrong with it
 */
function policyAnswer(text: string | undefined, source: string): SourcedPolicy {
  if (text === undefined || text.trim() === "")
    throw new BadAnswer("the answer is empty (HTTP 200 without a policy)");
  try {
    return { document: parsePolicyText(text, source, { uniqueKeys: true }), source };
  } catch (error) {
    if (!(error instanceof NimbleError)) throw error;
    const why = messageWithoutSource(error, source);
    throw new BadAnswer(`the answer is not a policy: ${printable(why)}`);
  }
}

async function makeS3Client(options: LiveS3Options): Promise<S3Client> {
  const { S3Client } = await import("@aws-sdk/client-s3");
  return new S3Client({
    region: options.region ?? defaultRegion(),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.pathStyle === true,
  });
}

function defaultRegion(): string {
  return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
}
