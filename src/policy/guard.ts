import { NimbleError } from "../errors.js";
import type { Statement } from "./types.js";
import { toList } from "./types.js";
import type { ForbiddenAction } from "./forbidden-actions.js";
import {
  FORBIDDEN_KMS_ACTIONS,
  FORBIDDEN_S3_ACTIONS,
  patternsOverlap,
} from "./forbidden-actions.js";

/**
 * The one gate every generated grant passes through: nothing nimble-bucket emits may grant a
 * delete (or a right that deletes, such as a lifecycle rule), nor a wildcard that could grow into
 * one. A violation is a bug in a generator, so it throws rather than returning a finding.
 */

/** GCS roles a generator may bind: neither can delete or administer. */
export const ALLOWED_GCS_ROLES: readonly string[] = [
  "roles/storage.objectCreator",
  "roles/storage.objectViewer",
];

/** Options of {@link assertNoDeleteRights}. */
export interface GuardOptions {
  /**
   * The key's own account root (`arn:aws:iam::ACCOUNT:root`): a statement for exactly that
   * principal may keep the admin actions (kms:PutKeyPolicy, which AWS's lockout check requires
   * of the owner), never a delete. @default none: no statement may carry either
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
   */
  owner?: string;
}

/**
 * Throws when any Allow statement could grant a forbidden action (see forbidden-actions.ts).
 * @param statements - generated statements
 * @param options - the key owner who keeps admin rights, if any
 * @returns the same statements, for chaining
 * @throws NimbleError E_FORBIDDEN_GRANT
 */
export function assertNoDeleteRights<T extends Statement>(
  statements: readonly T[],
  options: GuardOptions = {},
): readonly T[] {
  statements.forEach((statement, index) => {
    const problem = statementProblem(statement, allowedAdmin(statement, options));
    if (problem) throw forbidden(`Statement[${index}]`, problem);
  });

  return statements;
}

function statementProblem(statement: Statement, admin: boolean): string | undefined {
  if (statement.Effect !== "Allow") return undefined;
  if (statement.NotAction !== undefined) return "an Allow with NotAction grants every other action";

  for (const action of toList(statement.Action)) {
    const service = action.split(":")[0] ?? "";
    if (action === "*" || /[*?]/.test(service)) return `"${action}" grants every service's actions`;
    if (/^[^:]+:\*$/.test(action)) return `"${action}" grants every action of the service`;
    const hit = forbiddenHit(action, admin);
    if (hit) return `"${action}" grants ${hit.action}`;
  }
  return undefined;
}

const FORBIDDEN_ACTIONS = [...FORBIDDEN_S3_ACTIONS, ...FORBIDDEN_KMS_ACTIONS];

function forbiddenHit(action: string, admin: boolean): ForbiddenAction | undefined {
  return FORBIDDEN_ACTIONS.find(
    (forbidden) =>
      (forbidden.kind === "delete" || !admin) && patternsOverlap(action, forbidden.action, true),
  );
}

/** Admin actions pass only for a statement whose sole principal is the given owner. */
function allowedAdmin(statement: Statement, options: GuardOptions): boolean {
  const principal = statement.Principal;
  if (options.owner === undefined || principal === undefined || principal === "*") return false;

  const names = Object.values(principal).flatMap((value) => toList(value));
  return names.length === 1 && names[0] === options.owner && statement.NotPrincipal === undefined;
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
