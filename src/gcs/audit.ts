import type { Storage } from "@google-cloud/storage";
import type { BucketAudit, Finding, OperationVerdict } from "../audit/types.js";
import { GCS_DELIVERY_MEMBER, TEST_OBJECT_NAME } from "../nimble.js";
import type { Decision, Evaluation } from "../policy/eval/types.js";
import type { ProbeStatus } from "../probe/types.js";
import type { Target } from "../probe/target.js";
import { bucketResource, evaluateCondition, objectResource } from "./cel.js";
import type { GcsResource } from "./cel.js";
import { evaluatePermission, memberTruth } from "./evaluate.js";
import { parseGcsIamPolicy, parseGcsMetadata } from "./policy.js";
import type { GcsBucketMetadata, GcsIamPolicy } from "./policy.js";
import { deleteOrAdminPermissions, roleGrants } from "./roles.js";
import { GCS_CHECKS } from "./checks.js";

/**
 * The offline audit of a GCS bucket for Nimble's service account: which operations its IAM policy
 * allows, and findings with stable ids (see checks.ts).
 * @see https://cloud.google.com/storage/docs/access-control/iam
 */

/** What the audit reads: the policy and metadata as JSON, parsed here at the edge. */
export interface GcsAuditInput {
  bucket: string;
  /** "" or a prefix ending in "/" */
  prefix: string;
  /** `gcloud storage buckets get-iam-policy --format=json` output (version 1 or 3) */
  iamPolicy: unknown;
  /** Bucket metadata (JSON API or `gcloud storage buckets describe --format=json`) */
  metadata?: unknown;
  /** @default GCS_DELIVERY_MEMBER */
  member?: string;
  /** Where the policy came from (file name or `IAM policy of gs://B`), for finding locations */
  source: string;
}

/** The operations the audit evaluates, in report order. */
export type GcsOperation =
  "list" | "bucketGet" | "objectGet" | "create" | "overwrite" | "multipart";

interface AuditContext {
  bucket: string;
  prefix: string;
  member: string;
  source: string;
  policy: GcsIamPolicy;
  metadata?: GcsBucketMetadata;
  operations: Record<GcsOperation, OperationVerdict>;
}

type Check = (context: AuditContext) => Finding[];

/**
 * Audits a bucket's IAM policy (and optional metadata) for Nimble's member.
 * @param input - bucket, prefix, policy JSON, metadata JSON, member and source
 * @returns the operations' verdicts, findings and the chips a probe should show
 * @throws NimbleError E_INPUT naming the JSON path when the policy or metadata is malformed
 * @see https://cloud.google.com/storage/docs/access-control/iam-json
 */
export function auditGcs(input: GcsAuditInput): BucketAudit {
  const policy = parseGcsIamPolicy(input.iamPolicy, input.source);
  const metadata =
    input.metadata === undefined ? undefined : parseGcsMetadata(input.metadata, "metadata");
  const member = input.member ?? GCS_DELIVERY_MEMBER;
  const operations = evaluateOperations(policy, input.bucket, input.prefix, member);

  const { bucket, prefix, source } = input;
  const context: AuditContext = {
    ...{ bucket, prefix, source, member, policy, operations },
    ...withMetadata(metadata),
  };
  return {
    bucket: input.bucket,
    provider: "gcs",
    operations: Object.values(operations),
    findings: CHECKS.flatMap((check) => runCheck(check, context)),
    predictedChips: predictChips(operations, metadata),
  };
}

function withMetadata(metadata?: GcsBucketMetadata): { metadata?: GcsBucketMetadata } {
  return metadata ? { metadata } : {};
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

  return {
    bucket: target.bucket,
    prefix: target.prefix,
    iamPolicy: state.iamPolicy,
    metadata: state.metadata,
    source: `IAM policy of gs://${target.bucket}`,
    ...(options.member ? { member: options.member } : {}),
  };
}

/** A name outside the prefix, to see whether a grant is confined to the prefix. */
const OUTSIDE_NAME = "nimble-bucket-outside-prefix-check";

/**
 * Evaluates each operation Nimble performs, on the bucket or on the test object's name.
 * @see https://cloud.google.com/storage/docs/access-control/iam-json
 */
export function evaluateOperations(
  policy: GcsIamPolicy,
  bucket: string,
  prefix: string,
  member: string,
): Record<GcsOperation, OperationVerdict> {
  const object = objectResource(bucket, `${prefix}${TEST_OBJECT_NAME}`);
  const bucketRes = bucketResource(bucket);
  const verdict = (operation: string, permissions: string[], resource: GcsResource) => ({
    operation,
    ...combine(permissions, resource, (permission) =>
      evaluatePermission(policy, { member, permission, resource }),
    ),
  });

  return {
    list: verdict("list", ["storage.objects.list"], bucketRes),
    bucketGet: verdict("bucket get", ["storage.buckets.get"], bucketRes),
    objectGet: verdict("object get", ["storage.objects.get"], object),
    create: verdict("create", ["storage.objects.create"], object),
    overwrite: verdict("overwrite", ["storage.objects.create", "storage.objects.delete"], object),
    multipart: verdict("multipart", MULTIPART_PERMISSIONS, object),
  };
}

/** The permissions an XML API multipart upload uses (initiate, abort, list parts). */
const MULTIPART_PERMISSIONS = [
  "storage.multipartUploads.create",
  "storage.multipartUploads.abort",
  "storage.multipartUploads.listParts",
];

/** All permissions must be allowed: any denial denies, else any dependency makes it depend. */
function combine(
  permissions: string[],
  resource: GcsResource,
  evaluate: (permission: string) => Evaluation,
): OperationVerdict {
  const evaluations = permissions.map(evaluate);
  const denied = evaluations.find((e) => e.decision === "implicitly-denied");
  const decision: Decision = denied
    ? "implicitly-denied"
    : evaluations.some((e) => e.decision === "depends")
      ? "depends"
      : "allowed";

  return {
    action: permissions.join(" + "),
    resource: resource.name,
    decision,
    dependsOn: decision === "depends" ? [...new Set(evaluations.flatMap((e) => e.dependsOn))] : [],
    statements: evaluations.flatMap((e) => e.statements),
  };
}

/**
 * The chip a probe should show: read lists and reads an object, write creates the test object.
 * Requester Pays makes both fail with a connection error (no billing project is sent).
 */
function predictChips(
  operations: Record<GcsOperation, OperationVerdict>,
  metadata?: GcsBucketMetadata,
): BucketAudit["predictedChips"] {
  if (metadata?.requesterPays) return { read: "connection-failed", write: "connection-failed" };

  return {
    read: readChip(operations.list.decision, operations.objectGet.decision),
    write: chipFor(operations.create.decision),
  };
}

function chipFor(decision: Decision): ProbeStatus | "unknown" {
  if (decision === "allowed") return "ok";
  return decision === "depends" ? "unknown" : "access-denied";
}

function readChip(list: Decision, get: Decision): ProbeStatus | "unknown" {
  if (list !== "allowed") return chipFor(list);
  // With listing allowed, an empty prefix passes whatever get says; a full one needs get.
  return get === "allowed" ? "ok" : "unknown";
}

function runCheck(check: Check, context: AuditContext): Finding[] {
  try {
    return check(context);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [finding("GCS-CHECK-FAILED", `${check.name}: ${reason}`, context)];
  }
}

function finding(id: string, message: string, context: AuditContext, path?: string): Finding {
  const info = GCS_CHECKS.find((c) => c.id === id);
  const index = path ? Number(/^bindings\[(\d+)\]/.exec(path)?.[1]) : undefined;
  const role = index !== undefined ? context.policy.bindings[index]?.role : undefined;
  return {
    id,
    severity: info?.severity ?? "warning",
    message,
    location: {
      source: context.source,
      ...(path ? { path } : {}),
      ...(index !== undefined && !Number.isNaN(index) ? { statementIndex: index } : {}),
      ...(role ? { sid: role } : {}),
    },
  };
}

function firstPath(verdict: OperationVerdict): string | undefined {
  return verdict.statements[0]?.path;
}

function isAllowedOrDepends(verdict: OperationVerdict): boolean {
  return verdict.decision !== "implicitly-denied";
}

const where = (context: AuditContext): string => `gs://${context.bucket}/${context.prefix}`;

function createNotGranted(context: AuditContext): Finding[] {
  if (context.operations.create.decision !== "implicitly-denied") return [];
  const message = `${context.member} has no storage.objects.create on ${where(context)}`;
  return [finding("GCS-CREATE-NOT-GRANTED", message, context)];
}

function grantDepends(context: AuditContext): Finding[] {
  const needed: GcsOperation[] = ["list", "objectGet", "create"];
  return needed
    .map((name) => context.operations[name])
    .filter((verdict) => verdict.decision === "depends")
    .map((verdict) => {
      const message = `${verdict.action} depends on ${verdict.dependsOn.join(", ")}`;
      return finding("GCS-GRANT-DEPENDS", message, context, firstPath(verdict));
    });
}

function overwriteNeedsDelete(context: AuditContext): Finding[] {
  const { create, overwrite } = context.operations;
  if (create.decision !== "allowed" || overwrite.decision !== "implicitly-denied") return [];
  const message =
    `${context.member} can create objects under ${where(context)} but cannot replace existing ` +
    "ones: overwriting requires storage.objects.delete, which is not granted";
  return [finding("GCS-OVERWRITE-NEEDS-DELETE", message, context, firstPath(create))];
}

function createBucketWide(context: AuditContext): Finding[] {
  if (context.prefix === "" || context.operations.create.decision !== "allowed") return [];
  const outside = evaluatePermission(context.policy, {
    member: context.member,
    permission: "storage.objects.create",
    resource: objectResource(context.bucket, OUTSIDE_NAME),
  });
  if (outside.decision !== "allowed") return [];

  const message =
    `${context.member} can create objects anywhere in gs://${context.bucket}, not only under ` +
    `${context.prefix} (the grant has no condition on the object name)`;
  return [finding("GCS-CREATE-BUCKET-WIDE", message, context, outside.statements[0]?.path)];
}

function bucketGetNotGranted(context: AuditContext): Finding[] {
  const { bucketGet, create, list } = context.operations;
  if (bucketGet.decision !== "implicitly-denied") return [];
  if (!isAllowedOrDepends(create) && !isAllowedOrDepends(list)) return [];
  const message = `storage.buckets.get is not granted to ${context.member}: reading the bucket's metadata returns 403`;
  return [finding("GCS-BUCKET-GET-NOT-GRANTED", message, context)];
}

function prefixConditionBreaksList(context: AuditContext): Finding[] {
  const bucketRes = bucketResource(context.bucket);
  return context.policy.bindings.flatMap((binding, index) => {
    if (!binding.condition || roleGrants(binding.role, "storage.objects.list") !== true) return [];
    const member = memberTruth(binding.members, {
      member: context.member,
      permission: "",
      resource: bucketRes,
    });
    if (member.truth === "no") return [];
    if (evaluateCondition(binding.condition.expression, bucketRes).value !== "false") return [];
    if (!binding.condition.expression.includes("/objects/")) return [];

    const message =
      `bindings[${index}] (${binding.role}) grants no listing: its condition matches only object ` +
      `names, while storage.objects.list is checked on ${bucketRes.name}`;
    return [
      finding("GCS-PREFIX-CONDITION-BREAKS-LIST", message, context, `bindings[${index}].condition`),
    ];
  });
}

function listBucketWide(context: AuditContext): Finding[] {
  const { list } = context.operations;
  if (list.decision !== "allowed") return [];
  const conditioned = list.statements.find(
    (ref) => context.policy.bindings[ref.index]?.condition !== undefined,
  );
  if (!conditioned) return [];

  const message = `${context.member} can list every object name in gs://${context.bucket}: IAM conditions cannot limit listing to a prefix`;
  return [
    finding("GCS-LIST-BUCKET-WIDE", message, context, `bindings[${conditioned.index}].condition`),
  ];
}

function conditionWithoutUbla(context: AuditContext): Finding[] {
  if (context.metadata?.uniformBucketLevelAccess !== false) return [];
  return context.policy.bindings.flatMap((binding, index) => {
    if (!binding.condition) return [];
    const message = `bindings[${index}] has a condition but uniform bucket-level access is off`;
    return [
      finding("GCS-CONDITION-WITHOUT-UBLA", message, context, `bindings[${index}].condition`),
    ];
  });
}

function deleteOrAdminRole(context: AuditContext): Finding[] {
  const probe = {
    member: context.member,
    permission: "",
    resource: bucketResource(context.bucket),
  };
  return context.policy.bindings.flatMap((binding, index) => {
    const rights = deleteOrAdminPermissions(binding.role);
    if (rights.length === 0 || memberTruth(binding.members, probe).truth === "no") return [];
    const message = `${binding.role} gives ${context.member} ${rights.join(", ")}`;
    return [finding("GCS-DELETE-OR-ADMIN-ROLE", message, context, `bindings[${index}]`)];
  });
}

function publicBinding(context: AuditContext): Finding[] {
  return context.policy.bindings.flatMap((binding, index) => {
    const open = binding.members.filter((m) => m === "allUsers" || m === "allAuthenticatedUsers");
    if (open.length === 0) return [];
    const message = `${binding.role} is granted to ${open.join(" and ")}`;
    return [finding("GCS-PUBLIC-BINDING", message, context, `bindings[${index}].members`)];
  });
}

function retentionBlocksRewrite(context: AuditContext): Finding[] {
  const period = context.metadata?.retentionPeriodSeconds ?? 0;
  if (period <= 0) return [];
  const message = `objects stay under a ${period}s retention period: an object with the same name cannot be replaced until it ends`;
  return [finding("GCS-RETENTION-BLOCKS-REWRITE", message, context, "retentionPolicy")];
}

function cmekAgentUnchecked(context: AuditContext): Finding[] {
  const key = context.metadata?.defaultKmsKeyName;
  if (!key) return [];
  const message = `default KMS key ${key}: the Cloud Storage service agent's grant on the key cannot be checked from the bucket`;
  return [finding("GCS-CMEK-AGENT-UNCHECKED", message, context, "encryption.defaultKmsKeyName")];
}

function requesterPays(context: AuditContext): Finding[] {
  if (context.metadata?.requesterPays !== true) return [];
  const message =
    "Requester Pays is on: requests without a billing project get 400 UserProjectMissing";
  return [finding("GCS-REQUESTER-PAYS", message, context, "billing.requesterPays")];
}

const CHECKS: readonly Check[] = [
  createNotGranted,
  grantDepends,
  overwriteNeedsDelete,
  createBucketWide,
  bucketGetNotGranted,
  prefixConditionBreaksList,
  listBucketWide,
  conditionWithoutUbla,
  deleteOrAdminRole,
  publicBinding,
  retentionBlocksRewrite,
  cmekAgentUnchecked,
  requesterPays,
];
