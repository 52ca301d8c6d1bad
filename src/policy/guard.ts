import { NimbleError } from "../errors.js";
import type { Statement } from "./types.js";
import { toList } from "./types.js";
import { matchesWildcard } from "./wildcard.js";

/**
 * The one gate every generated grant passes through: nothing nimble-bucket emits may grant a
 * delete (or a right that deletes, such as a lifecycle rule), nor a wildcard that could grow into
 * one. A violation is a bug in a generator, so it throws rather than returning a finding.
 */

/** Concrete AWS actions that delete data or keys, or hand over the bucket's or key's control. */
export const FORBIDDEN_AWS_ACTIONS: readonly string[] = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:DeleteObjectTagging",
  "s3:DeleteObjectVersionTagging",
  "s3:DeleteBucket",
  "s3:DeleteBucketPolicy",
  "s3:DeleteBucketWebsite",
  "s3:DeleteBucketOwnershipControls",
  "s3:DeleteAccessPoint",
  "s3:DeleteAccessPointPolicy",
  "s3:DeleteJobTagging",
  "s3:DeleteStorageLensConfiguration",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketPolicy",
  "s3:PutBucketAcl",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketVersioning",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:BypassGovernanceRetention",
  "kms:ScheduleKeyDeletion",
  "kms:DeleteAlias",
  "kms:DeleteImportedKeyMaterial",
  "kms:DeleteCustomKeyStore",
  "kms:DisableKey",
];

/** GCS roles a generator may bind: neither can delete or administer. */
export const ALLOWED_GCS_ROLES: readonly string[] = [
  "roles/storage.objectCreator",
  "roles/storage.objectViewer",
];

/** GCS permissions no generated binding may carry. */
export const FORBIDDEN_GCS_PERMISSIONS: readonly string[] = [
  "storage.objects.delete",
  "storage.buckets.delete",
  "storage.buckets.setIamPolicy",
  "storage.objects.setIamPolicy",
];

/**
 * Throws when any Allow statement could grant a forbidden action.
 * @param statements - generated statements
 * @returns the same statements, for chaining
 * @throws NimbleError E_FORBIDDEN_GRANT
 */
export function assertNoDeleteRights<T extends Statement>(statements: readonly T[]): readonly T[] {
  statements.forEach((statement, index) => {
    const problem = statementProblem(statement);
    if (problem) throw forbidden(`Statement[${index}]`, problem);
  });

  return statements;
}

function statementProblem(statement: Statement): string | undefined {
  if (statement.Effect !== "Allow") return undefined;
  if (statement.NotAction !== undefined) return "an Allow with NotAction grants every other action";

  for (const action of toList(statement.Action)) {
    const service = action.split(":")[0] ?? "";
    if (action === "*" || /[*?]/.test(service)) return `"${action}" grants every service's actions`;
    if (/^[^:]+:\*$/.test(action)) return `"${action}" grants every action of the service`;
    const hit = FORBIDDEN_AWS_ACTIONS.find((f) => matchesWildcard(action, f, true));
    if (hit) return `"${action}" grants ${hit}`;
    if (/^s3:delete/i.test(action)) return `"${action}" is a delete right`;
  }
  return undefined;
}

/** A GCS IAM binding as generators emit it. */
export interface GcsBinding {
  role: string;
  members: string[];
  condition?: { title: string; description?: string; expression: string };
}

/**
 * Throws when a generated GCS binding uses a role outside the allowed list.
 * @param bindings - generated bindings
 * @returns the same bindings, for chaining
 * @throws NimbleError E_FORBIDDEN_GRANT
 */
export function assertNoDeleteRoles<T extends GcsBinding>(bindings: readonly T[]): readonly T[] {
  bindings.forEach((binding, index) => {
    if (!ALLOWED_GCS_ROLES.includes(binding.role)) {
      throw forbidden(
        `bindings[${index}].role`,
        `${binding.role} may carry delete or admin rights`,
      );
    }
  });

  return bindings;
}

/**
 * Throws when a request that nimble-bucket is about to send would delete something.
 * @param operation - an SDK command name (DeleteObjectCommand) or a GCS JSON API method
 * @throws NimbleError E_FORBIDDEN_REQUEST
 */
export function assertNotDeleteRequest(operation: string): void {
  if (/delete/i.test(operation)) {
    throw new NimbleError(
      "E_FORBIDDEN_REQUEST",
      `refusing to send ${operation}: nimble-bucket never deletes anything`,
    );
  }
}

function forbidden(path: string, problem: string): NimbleError {
  return new NimbleError(
    "E_FORBIDDEN_GRANT",
    `${path}: ${problem}; nimble-bucket never grants that`,
    path,
  );
}
