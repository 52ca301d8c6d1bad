/**
 * The one-line "what is wrong" message of each GCS finding, kept as data apart from the checks
 * that fill it in. The title and the longer "why it matters and how to fix it" text of each id
 * are in the registry (checks.ts).
 * @see https://cloud.google.com/storage/docs/access-control/iam
 */

/** Message templates by finding id; each takes the values it names. */
export const GCS_MESSAGES = {
  "GCS-CREATE-NOT-GRANTED": (v: { member: string; where: string }) =>
    `${v.member} has no storage.objects.create on ${v.where}`,
  "GCS-GRANT-DEPENDS": (v: { action: string; dependsOn: readonly string[] }) =>
    `${v.action} depends on ${v.dependsOn.join(", ")}`,
  "GCS-OVERWRITE-NEEDS-DELETE": (v: { member: string; where: string }) =>
    `${v.member} can create objects under ${v.where} but cannot replace existing ones: ` +
    "overwriting requires storage.objects.delete, which is not granted",
  "GCS-CREATE-BUCKET-WIDE": (v: { member: string; bucket: string; prefix: string }) =>
    `${v.member} can create objects anywhere in gs://${v.bucket}, not only under ${v.prefix} ` +
    "(the grant has no condition on the object name)",
  "GCS-BUCKET-GET-NOT-GRANTED": (v: { member: string }) =>
    `storage.buckets.get is not granted to ${v.member}: ` +
    "reading the bucket's metadata returns 403",
  "GCS-PREFIX-CONDITION-BREAKS-LIST": (v: { index: number; role: string; resource: string }) =>
    `bindings[${v.index}] (${v.role}) grants no listing: its condition matches only object ` +
    `names, while storage.objects.list is checked on ${v.resource}`,
  "GCS-LIST-BUCKET-WIDE": (v: { member: string; bucket: string }) =>
    `${v.member} can list every object name in gs://${v.bucket}: ` +
    "IAM conditions cannot limit listing to a prefix",
  "GCS-CONDITION-WITHOUT-UBLA": (v: { index: number }) =>
    `bindings[${v.index}] has a condition but uniform bucket-level access is off`,
  "GCS-DELETE-OR-ADMIN-ROLE": (v: { role: string; member: string; rights: readonly string[] }) =>
    `${v.role} gives ${v.member} ${v.rights.join(", ")}`,
  "GCS-PUBLIC-BINDING": (v: { role: string; members: readonly string[] }) =>
    `${v.role} is granted to ${v.members.join(" and ")}`,
  "GCS-RETENTION-BLOCKS-REWRITE": (v: { period: number }) =>
    `objects stay under a ${v.period}s retention period: ` +
    "an object with the same name cannot be replaced until it ends",
  "GCS-CMEK-AGENT-UNCHECKED": (v: { key: string }) =>
    `default KMS key ${v.key}: ` +
    "the Cloud Storage service agent's grant on the key cannot be checked from the bucket",
  "GCS-REQUESTER-PAYS": () =>
    "Requester Pays is on: requests without a billing project get 400 UserProjectMissing",
  "GCS-CHECK-FAILED": (v: { check: string; reason: string }) => `${v.check}: ${v.reason}`,
} satisfies Record<string, (values: never) => string>;

/** A GCS finding id that has a message. */
export type GcsFindingId = keyof typeof GCS_MESSAGES;

/** The values the message of `Id` names. */
export type MessageValues<Id extends GcsFindingId> = Parameters<(typeof GCS_MESSAGES)[Id]>[0];

/** A finding as a check emits it; the audit adds the severity, the source and the binding. */
export interface RawGcsFinding {
  id: GcsFindingId;
  message: string;
  /** JSON path in the IAM policy (`bindings[2].condition`) or the metadata (`retentionPolicy`) */
  path?: string;
  /** Which input `path` is in. @default "policy" */
  file?: "policy" | "metadata";
  /** This finding's own fix line, when the registry's generic one does not fit its case */
  fix?: string;
}

/**
 * A finding with its message filled in from {@link GCS_MESSAGES}.
 * @param id - the finding id
 * @param values - the values its message names
 * @param path - where in the policy or metadata the finding is
 * @returns the raw finding
 */
export function gcsFinding<Id extends GcsFindingId>(
  id: Id,
  values: MessageValues<Id>,
  path?: string,
): RawGcsFinding {
  const render = GCS_MESSAGES[id] as (values: MessageValues<Id>) => string;

  return { id, message: render(values), ...(path ? { path } : {}) };
}

/**
 * A finding about a bucket setting, located in the metadata (file or live read), not the policy.
 * @param id - the finding id
 * @param values - the values its message names
 * @param path - the JSON path in the metadata, e.g. `retentionPolicy`
 * @returns the raw finding
 */
export function metadataFinding<Id extends GcsFindingId>(
  id: Id,
  values: MessageValues<Id>,
  path: string,
): RawGcsFinding {
  return { ...gcsFinding(id, values, path), file: "metadata" };
}
