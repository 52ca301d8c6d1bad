import type { Storage } from "@google-cloud/storage";
import { couldNotRead, messageWithoutSource, runGuarded, severityOf } from "../audit/run-checks.js";
import type { BucketAudit, Finding } from "../audit/types.js";
import { NimbleError } from "../errors.js";
import { GCS_DELIVERY_MEMBER } from "../nimble.js";
import { printable } from "../policy/names.js";
import type { Target } from "../probe/target.js";
import { redact } from "../report/redact.js";
import { GCS_CHECK_FUNCTIONS } from "./audit-checks.js";
import type { GcsCheck, GcsCheckContext } from "./audit-checks.js";
import { GCS_CHECKS } from "./checks.js";
import { gcsFinding } from "./messages.js";
import type { RawGcsFinding } from "./messages.js";
import { evaluateOperations, predictChips } from "./operations.js";
import { parseGcsIamPolicy, parseGcsMetadata } from "./policy.js";
import type { GcsBucketMetadata, GcsIamPolicy } from "./policy.js";

/**
 * The offline audit of a GCS bucket for Nimble's service account: which operations its IAM policy
 * allows (operations.ts), and findings with stable ids (audit-checks.ts, registry in checks.ts).
 * @see https://cloud.google.com/storage/docs/access-control/iam
 */

export { evaluateOperations } from "./operations.js";
export type { GcsOperation } from "./operations.js";

/** What the audit reads: the policy and metadata as JSON, parsed here at the edge. */
export interface GcsAuditInput {
  bucket: string;
  /** "" or a prefix ending in "/" */
  prefix: string;
  /**
   * `gcloud storage buckets get-iam-policy --format=json` output (version 1 or 3); undefined
   * when a live read could not get it (`readFindings` says why)
   */
  iamPolicy: unknown;
  /** Bucket metadata (JSON API or `gcloud storage buckets describe --format=json`) */
  metadata?: unknown;
  /** @default GCS_DELIVERY_MEMBER */
  member?: string;
  /** Where the policy came from (file name or `IAM policy of gs://B`), for finding locations */
  source: string;
  /** Where the metadata came from (file name or `metadata of gs://B`). @default "bucket metadata" */
  metadataSource?: string;
  /** Findings of the live read, e.g. AUDIT-COULD-NOT-READ */
  readFindings?: Finding[];
}

/** The audit input with its policy and metadata parsed: what {@link auditParsedGcs} reads. */
export interface ParsedGcsAuditInput extends Omit<GcsAuditInput, "iamPolicy" | "metadata"> {
  /** The parsed IAM policy; undefined when a live read could not get it (`readFindings` says why) */
  iamPolicy?: GcsIamPolicy;
  metadata?: GcsBucketMetadata;
}

/**
 * Audits a bucket's IAM policy (and optional metadata) for Nimble's member: parses the JSON at
 * this edge, then runs {@link auditParsedGcs}.
 * @param input - bucket, prefix, policy JSON, metadata JSON, member and source
 * @returns the operations' verdicts, findings and the chips a probe should show
 * @throws NimbleError E_INPUT naming the JSON path when the policy or metadata is malformed
 * @see https://cloud.google.com/storage/docs/access-control/iam-json
 */
export function auditGcs(input: GcsAuditInput): BucketAudit {
  return auditParsedGcs(parseGcsAuditInput(input));
}

/**
 * Parses the audit input's policy and metadata JSON; a policy that a live read could not get
 * (undefined, with `readFindings`) stays undefined.
 * @param input - the input as read
 * @returns the input with typed policy and metadata
 * @throws NimbleError E_INPUT naming the JSON path when the policy or metadata is malformed
 * @see https://cloud.google.com/storage/docs/json_api/v1/buckets
 */
export function parseGcsAuditInput(input: GcsAuditInput): ParsedGcsAuditInput {
  const { iamPolicy, metadata, ...rest } = input;
  const unread = iamPolicy === undefined && (input.readFindings?.length ?? 0) > 0;

  return {
    ...rest,
    ...(unread ? {} : { iamPolicy: parseGcsIamPolicy(iamPolicy, input.source) }),
    ...(metadata === undefined ? {} : { metadata: parseGcsMetadata(metadata, "metadata") }),
  };
}

/**
 * Audits a bucket from its parsed IAM policy (and optional metadata) for Nimble's member.
 * @param input - bucket, prefix, parsed policy and metadata, member and source
 * @returns the operations' verdicts, findings and the chips a probe should show
 * @see https://cloud.google.com/storage/docs/access-control/iam-json
 */
export function auditParsedGcs(input: ParsedGcsAuditInput): BucketAudit {
  if (input.iamPolicy === undefined) return unreadAudit(input);
  const context = checkContext(input, input.iamPolicy);
  const findings = GCS_CHECK_FUNCTIONS.flatMap((check) => runCheck(check, context));
  const sources = { policy: input.source, metadata: input.metadataSource ?? "bucket metadata" };

  return {
    bucket: input.bucket,
    provider: "gcs",
    use: "delivery",
    operations: Object.values(context.operations),
    findings: [
      ...(input.readFindings ?? []),
      ...findings.map((raw) => locate(raw, context.policy, sources)),
    ],
    predictedChips: predictChips(context.operations, context.metadata),
  };
}

/** The audit of a bucket whose IAM policy could not be read: nothing is evaluated. */
function unreadAudit(input: ParsedGcsAuditInput): BucketAudit {
  return {
    bucket: input.bucket,
    provider: "gcs",
    use: "delivery",
    operations: [],
    findings: input.readFindings ?? [],
    predictedChips: { write: "unknown" },
    chipsUnknownBecause: "the IAM policy could not be read (see AUDIT-COULD-NOT-READ)",
  };
}

/** Evaluates the operations: the checks' one input. */
function checkContext(input: ParsedGcsAuditInput, policy: GcsIamPolicy): GcsCheckContext {
  const { bucket, prefix, metadata } = input;
  const member = input.member ?? GCS_DELIVERY_MEMBER;
  const operations = evaluateOperations(policy, bucket, prefix, member);

  return { bucket, prefix, member, policy, operations, ...(metadata ? { metadata } : {}) };
}

/**
 * Reads a bucket's IAM policy (version 3) and metadata live and returns them as audit input.
 * @param target - the gs:// target
 * @param options - `endpoint` for an emulator; `member` to audit another member; `storage` an
 *   injected client (tests)
 * @returns the audit input, `source` naming the bucket
 * @see https://cloud.google.com/storage/docs/json_api/v1/buckets/getIamPolicy
 */
export async function readGcsAuditInput(
  target: Target,
  options: { endpoint?: string; member?: string; storage?: Storage },
): Promise<GcsAuditInput> {
  const { readBucketState } = await import("./live.js");
  const state = await readBucketState(target.bucket, options);
  const source = `IAM policy of gs://${target.bucket}`;
  const metadataSource = `metadata of gs://${target.bucket}`;
  const policy = checkedAnswer(state.iamPolicy, source, parseGcsIamPolicy, state.policyError);
  const metadata =
    state.metadata === undefined
      ? { value: undefined }
      : checkedAnswer(state.metadata, metadataSource, parseGcsMetadata);
  const failures = [
    ...("failed" in policy ? [readFailure("the IAM policy", target, policy.failed)] : []),
    ...("failed" in metadata ? [readFailure("the metadata", target, metadata.failed)] : []),
  ];

  return {
    bucket: target.bucket,
    prefix: target.prefix,
    iamPolicy: "value" in policy ? policy.value : undefined,
    metadata: "value" in metadata ? metadata.value : undefined,
    source,
    metadataSource,
    ...(failures.length > 0 ? { readFindings: failures } : {}),
    ...(options.member ? { member: options.member } : {}),
  };
}

/**
 * A server's answer, kept only when it has the documented shape: an HTML page from a proxy, an
 * empty body or a policy of another shape is a bad answer (a finding), not the user's input
 * error, so it never exits 2.
 */
function checkedAnswer(
  answer: unknown,
  source: string,
  parse: (value: unknown, field: string) => unknown,
  readError?: string,
): { value: unknown } | { failed: string } {
  if (readError !== undefined) return { failed: readError };
  if (answer === undefined || answer === "") return { failed: "the answer is empty" };
  try {
    parse(answer, source);
    return { value: answer };
  } catch (error) {
    if (!(error instanceof NimbleError)) throw error;
    const why = messageWithoutSource(error, source);
    return { failed: `the answer is not ${shapeName(source)}: ${redact(printable(why))}` };
  }
}

function shapeName(source: string): string {
  return source.startsWith("IAM policy") ? "an IAM policy" : "bucket metadata";
}

function readFailure(what: string, target: Target, reason: string): Finding {
  const api = what === "the IAM policy" ? "storage.buckets.getIamPolicy" : "storage.buckets.get";
  return couldNotRead(`${what} (${api})`, `gs://${target.bucket}`, reason);
}

/** A check that throws becomes GCS-CHECK-FAILED, and the run goes on. */
function runCheck(check: GcsCheck, context: GcsCheckContext): RawGcsFinding[] {
  return runGuarded(
    () => check(context),
    (reason) => gcsFinding("GCS-CHECK-FAILED", { check: check.name, reason }),
  );
}

/**
 * Binds the registry's severity and locates the finding: in the IAM policy (`bindings[i]` and the
 * binding's role; GCS bindings have no Sid) or in the metadata file (`retentionPolicy`).
 */
function locate(
  raw: RawGcsFinding,
  policy: GcsIamPolicy,
  sources: { policy: string; metadata: string },
): Finding {
  const source = raw.file === "metadata" ? sources.metadata : sources.policy;
  const match = raw.path === undefined ? null : /^bindings\[(\d+)\]/.exec(raw.path);
  const index = match ? Number(match[1]) : undefined;
  const role = index === undefined ? undefined : policy.bindings[index]?.role;

  return {
    id: raw.id,
    severity: severityOf(raw.id, GCS_CHECKS),
    message: raw.message,
    location: {
      source,
      ...(raw.path ? { path: raw.path } : {}),
      ...(index === undefined ? {} : { statementIndex: index }),
      ...(role ? { role } : {}),
    },
    ...(raw.fix === undefined ? {} : { fix: raw.fix }),
  };
}
