import type { OperationVerdict } from "../audit/types.js";
import { bucketResource, evaluateCondition, objectResource } from "./cel.js";
import { evaluatePermission, memberTruth } from "./evaluate.js";
import { gcsFinding, metadataFinding } from "./messages.js";
import type { RawGcsFinding } from "./messages.js";
import type { GcsOperation, GcsOperations } from "./operations.js";
import type { GcsBucketMetadata, GcsIamPolicy, GcsPolicyBinding } from "./policy.js";
import { deleteOrAdminPermissions, roleGrants } from "./roles.js";

/**
 * The GCS audit's checks: each a small pure function, context in, raw findings out. Ids,
 * severity and explanations are bound by the registry (checks.ts), which no check imports;
 * message text is in messages.ts.
 * @see https://cloud.google.com/storage/docs/access-control/iam
 */

/** What every GCS check reads. */
export interface GcsCheckContext {
  bucket: string;
  /** "" or a prefix ending in "/" */
  prefix: string;
  /** The member audited (Nimble's service account by default) */
  member: string;
  policy: GcsIamPolicy;
  metadata?: GcsBucketMetadata;
  operations: GcsOperations;
}

/** One check; its function name names it in "could not evaluate" findings. */
export type GcsCheck = (context: GcsCheckContext) => RawGcsFinding[];

/** A name outside the prefix, to see whether a grant is confined to the prefix. */
const OUTSIDE_NAME = "nimble-bucket-outside-prefix-check";

const where = (context: GcsCheckContext): string => `gs://${context.bucket}/${context.prefix}`;

function firstPath(verdict: OperationVerdict): string | undefined {
  return verdict.statements[0]?.path;
}

function isAllowedOrDepends(verdict: OperationVerdict): boolean {
  return verdict.decision !== "implicitly-denied";
}

/** Whether the binding's members may include the audited member (yes or maybe). */
function mayHoldMember(binding: GcsPolicyBinding, context: GcsCheckContext): boolean {
  const request = {
    member: context.member,
    permission: "",
    resource: bucketResource(context.bucket),
  };

  return memberTruth(binding.members, request).truth !== "no";
}

function createNotGranted(context: GcsCheckContext): RawGcsFinding[] {
  if (context.operations.create.decision !== "implicitly-denied") return [];

  return [gcsFinding("GCS-CREATE-NOT-GRANTED", { member: context.member, where: where(context) })];
}

function grantDepends(context: GcsCheckContext): RawGcsFinding[] {
  const needed: GcsOperation[] = ["list", "objectGet", "create"];

  return needed
    .map((name) => context.operations[name])
    .filter((verdict) => verdict.decision === "depends")
    .map((verdict) => gcsFinding("GCS-GRANT-DEPENDS", verdict, firstPath(verdict)));
}

function overwriteNeedsDelete(context: GcsCheckContext): RawGcsFinding[] {
  const { create, overwrite } = context.operations;
  if (create.decision !== "allowed" || overwrite.decision !== "implicitly-denied") return [];

  const values = { member: context.member, where: where(context) };
  return [gcsFinding("GCS-OVERWRITE-NEEDS-DELETE", values, firstPath(create))];
}

function createBucketWide(context: GcsCheckContext): RawGcsFinding[] {
  if (context.prefix === "" || context.operations.create.decision !== "allowed") return [];
  const outside = evaluatePermission(context.policy, {
    member: context.member,
    permission: "storage.objects.create",
    resource: objectResource(context.bucket, OUTSIDE_NAME),
  });
  if (outside.decision !== "allowed") return [];

  const path = outside.statements[0]?.path;
  const name = `projects/_/buckets/${context.bucket}/objects/${context.prefix}`;
  const fix =
    "With uniform bucket-level access on, add the IAM condition " +
    `resource.name.startsWith("${name}") to the binding.`;
  return [{ ...gcsFinding("GCS-CREATE-BUCKET-WIDE", context, path), fix }];
}

function bucketGetNotGranted(context: GcsCheckContext): RawGcsFinding[] {
  const { bucketGet, create, list } = context.operations;
  if (bucketGet.decision !== "implicitly-denied") return [];
  if (!isAllowedOrDepends(create) && !isAllowedOrDepends(list)) return [];

  return [gcsFinding("GCS-BUCKET-GET-NOT-GRANTED", context)];
}

/**
 * A binding whose role lists objects, whose members may hold the audited member, and whose
 * condition is false on the bucket because it matches only object names.
 */
function isObjectOnlyListGrant(binding: GcsPolicyBinding, context: GcsCheckContext): boolean {
  const { condition, role } = binding;
  if (!condition || roleGrants(role, "storage.objects.list") !== true) return false;
  if (!mayHoldMember(binding, context)) return false;

  const onBucket = evaluateCondition(condition.expression, bucketResource(context.bucket));
  return onBucket.value === "false" && condition.expression.includes("/objects/");
}

function prefixConditionBreaksList(context: GcsCheckContext): RawGcsFinding[] {
  const resource = bucketResource(context.bucket).name;

  return context.policy.bindings.flatMap((binding, index) => {
    if (!isObjectOnlyListGrant(binding, context)) return [];
    const values = { index, role: binding.role, resource };
    return [gcsFinding("GCS-PREFIX-CONDITION-BREAKS-LIST", values, `bindings[${index}].condition`)];
  });
}

function listBucketWide(context: GcsCheckContext): RawGcsFinding[] {
  const { list } = context.operations;
  if (list.decision !== "allowed") return [];
  const conditioned = list.statements.find(
    (ref) => context.policy.bindings[ref.index]?.condition !== undefined,
  );
  if (!conditioned) return [];

  const path = `bindings[${conditioned.index}].condition`;
  return [gcsFinding("GCS-LIST-BUCKET-WIDE", context, path)];
}

function conditionWithoutUbla(context: GcsCheckContext): RawGcsFinding[] {
  if (context.metadata?.uniformBucketLevelAccess !== false) return [];

  return context.policy.bindings.flatMap((binding, index) =>
    binding.condition
      ? [gcsFinding("GCS-CONDITION-WITHOUT-UBLA", { index }, `bindings[${index}].condition`)]
      : [],
  );
}

function deleteOrAdminRole(context: GcsCheckContext): RawGcsFinding[] {
  return context.policy.bindings.flatMap((binding, index) => {
    const rights = deleteOrAdminPermissions(binding.role);
    if (rights.length === 0 || !mayHoldMember(binding, context)) return [];

    const values = { role: binding.role, member: context.member, rights };
    return [gcsFinding("GCS-DELETE-OR-ADMIN-ROLE", values, `bindings[${index}]`)];
  });
}

function publicBinding(context: GcsCheckContext): RawGcsFinding[] {
  return context.policy.bindings.flatMap((binding, index) => {
    const open = binding.members.filter((m) => m === "allUsers" || m === "allAuthenticatedUsers");
    if (open.length === 0) return [];

    const values = { role: binding.role, members: open };
    return [gcsFinding("GCS-PUBLIC-BINDING", values, `bindings[${index}].members`)];
  });
}

function retentionBlocksRewrite(context: GcsCheckContext): RawGcsFinding[] {
  const period = context.metadata?.retentionPeriodSeconds ?? 0;
  if (period <= 0) return [];

  return [metadataFinding("GCS-RETENTION-BLOCKS-REWRITE", { period }, "retentionPolicy")];
}

function cmekAgentUnchecked(context: GcsCheckContext): RawGcsFinding[] {
  const key = context.metadata?.defaultKmsKeyName;
  if (!key) return [];

  return [metadataFinding("GCS-CMEK-AGENT-UNCHECKED", { key }, "encryption.defaultKmsKeyName")];
}

function requesterPays(context: GcsCheckContext): RawGcsFinding[] {
  if (context.metadata?.requesterPays !== true) return [];

  return [metadataFinding("GCS-REQUESTER-PAYS", undefined, "billing.requesterPays")];
}

/** Every GCS check, in the order their findings are reported. */
export const GCS_CHECK_FUNCTIONS: readonly GcsCheck[] = [
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
