import type { BucketAudit, OperationVerdict } from "../audit/types.js";
import { TEST_OBJECT_NAME } from "../nimble.js";
import type { Decision, Evaluation } from "../policy/eval/types.js";
import type { ProbeStatus } from "../probe/types.js";
import { bucketResource, objectResource } from "./cel.js";
import type { GcsResource } from "./cel.js";
import { evaluatePermission } from "./evaluate.js";
import type { GcsBucketMetadata, GcsIamPolicy } from "./policy.js";

/**
 * The operations Nimble performs on a GCS bucket, evaluated against its IAM policy, and the chips
 * a probe should show for them.
 * @see https://cloud.google.com/storage/docs/access-control/iam-json
 */

/** The operations the audit evaluates, in report order. */
export type GcsOperation =
  "list" | "bucketGet" | "objectGet" | "create" | "overwrite" | "multipart";

/** Each operation's verdict. */
export type GcsOperations = Record<GcsOperation, OperationVerdict>;

/** The permissions an XML API multipart upload uses (initiate, abort, list parts). */
const MULTIPART_PERMISSIONS = [
  "storage.multipartUploads.create",
  "storage.multipartUploads.abort",
  "storage.multipartUploads.listParts",
];

/**
 * Evaluates each operation Nimble performs, on the bucket or on the test object's name.
 * @param policy - the bucket's parsed IAM policy
 * @param bucket - the bucket name
 * @param prefix - "" or a prefix ending in "/"
 * @param member - the member to evaluate for
 * @returns each operation's verdict
 * @see https://cloud.google.com/storage/docs/access-control/iam-permissions
 */
export function evaluateOperations(
  policy: GcsIamPolicy,
  bucket: string,
  prefix: string,
  member: string,
): GcsOperations {
  const object = objectResource(bucket, `${prefix}${TEST_OBJECT_NAME}`);
  const bucketRes = bucketResource(bucket);
  const verdict = (operation: string, permissions: string[], resource: GcsResource) => ({
    operation,
    ...combine(permissions, resource, (permission) =>
      evaluatePermission(policy, { member, permission, resource }),
    ),
  });

  const info = (operation: OperationVerdict): OperationVerdict => ({
    ...operation,
    informational: true,
  });

  // Delivery needs only create (Nimble documents Storage Object Creator); the others are
  // evaluated for the findings and do not fail the audit.
  return {
    list: info(verdict("list", ["storage.objects.list"], bucketRes)),
    bucketGet: info(verdict("bucket get", ["storage.buckets.get"], bucketRes)),
    objectGet: info(verdict("object get", ["storage.objects.get"], object)),
    create: verdict("create", ["storage.objects.create"], object),
    overwrite: info(
      verdict("overwrite", ["storage.objects.create", "storage.objects.delete"], object),
    ),
    multipart: info(verdict("multipart", MULTIPART_PERMISSIONS, object)),
  };
}

/** All permissions must be allowed: any denial denies, else any dependency makes it depend. */
function combine(
  permissions: string[],
  resource: GcsResource,
  evaluate: (permission: string) => Evaluation,
): OperationVerdict {
  const evaluations = permissions.map(evaluate);
  const decision = combinedDecision(evaluations);

  return {
    action: permissions.join(" + "),
    resource: resource.name,
    decision,
    dependsOn: decision === "depends" ? [...new Set(evaluations.flatMap((e) => e.dependsOn))] : [],
    statements: evaluations.flatMap((e) => e.statements),
  };
}

function combinedDecision(evaluations: readonly Evaluation[]): Decision {
  if (evaluations.some((e) => e.decision === "implicitly-denied")) return "implicitly-denied";

  return evaluations.some((e) => e.decision === "depends") ? "depends" : "allowed";
}

/**
 * The chip a probe should show. Nimble uses GCS only for Async API delivery, which has no read
 * step, so only the write chip is predicted (as for S3 delivery): the create of the test object.
 * Requester Pays makes it fail with a connection error (no billing project is sent).
 * @param operations - the operations' verdicts
 * @param metadata - the bucket's metadata, when known
 * @returns the predicted write chip
 * @see https://cloud.google.com/storage/docs/requester-pays
 */
export function predictChips(
  operations: GcsOperations,
  metadata?: GcsBucketMetadata,
): BucketAudit["predictedChips"] {
  if (metadata?.requesterPays) return { write: "connection-failed" };

  return { write: chipFor(operations.create.decision) };
}

function chipFor(decision: Decision): ProbeStatus | "unknown" {
  if (decision === "allowed") return "ok";

  return decision === "depends" ? "unknown" : "access-denied";
}
