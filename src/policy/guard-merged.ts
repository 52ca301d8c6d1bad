import { inputError } from "../errors.js";
import { DELIVERY_PRINCIPAL, JOBS_PRINCIPAL, NIMBLE_ACCOUNT } from "../nimble.js";
import { compilePrincipals, principalInfo, principalMatches } from "./eval/principal.js";
import type { ForbiddenAction } from "./forbidden-actions.js";
import { forbiddenActionsOf, patternCovers, patternsOverlap } from "./forbidden-actions.js";
import type { PolicyDocument, Statement } from "./types.js";
import { toList } from "./types.js";

/**
 * The never-delete gate for merged policies. `assertNoDeleteRights` checks what a generator
 * emits; a merge also carries the customer's statements, and one of them may hand Nimble a
 * delete or an admin right (`s3:*`, `s3:DeleteObject`, `kms:PutKeyPolicy`). The check is per
 * statement, not per request: an Allow is refused when its principal could be any identity of
 * Nimble's, its Action could name a forbidden action and its Resource could name the bucket or
 * any object in it (a key policy's resource is always the key). Conditions are ignored, that is
 * taken as possibly true: Nimble controls much of its own request context (s3:versionid, its
 * source address, its headers), so a condition is no fence against it.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** Where a merged policy applies, and the principal Nimble's statements grant to. */
export type DeleteCheckScope =
  | {
      kind: "s3-bucket-policy";
      /** Nimble's principal ARN (the default or the `--principal` override) */
      principal: string;
      bucket: string;
    }
  | {
      kind: "kms-key-policy";
      principal: string;
    };

/** One Allow of the merged policy that could let Nimble delete or administer. */
export interface MergedGrant {
  /** Index in the merged policy's Statement list */
  index: number;
  sid?: string;
  /** The element that names it: `Action "s3:*"` or `NotAction ["s3:Get*"]` */
  action: string;
  /** The forbidden action (or family) it could grant */
  forbidden: string;
}

/**
 * Throws when the merged policy could let any Nimble identity delete or administer.
 * @param policy - the merged policy
 * @param scope - bucket or key policy, and Nimble's principal for this merge
 * @param field - the flag the existing policy came from, named in the error
 * @throws NimbleError E_INPUT naming the first such statement (index and Sid) and the action
 */
export function assertMergedNoDeleteRights(
  policy: PolicyDocument,
  scope: DeleteCheckScope,
  field = "--merge",
): void {
  const [grant] = mergedDeleteGrants(policy, scope);
  if (grant) throw inputError(field, grantMessage(grant, scope));
}

/**
 * Every Allow statement of a merged policy that could let a Nimble identity delete or
 * administer the bucket or key.
 * @param policy - the merged policy
 * @param scope - bucket or key policy, and Nimble's principal
 * @returns one entry per such statement, in policy order; empty when the policy is safe
 */
export function mergedDeleteGrants(policy: PolicyDocument, scope: DeleteCheckScope): MergedGrant[] {
  const service = scope.kind === "s3-bucket-policy" ? "s3" : "kms";
  const forbidden = forbiddenActionsOf(service);

  return policy.Statement.flatMap((statement, index) => {
    if (statement.Effect !== "Allow") return [];
    if (!couldApplyToNimble(statement, scope.principal)) return [];
    if (scope.kind === "s3-bucket-policy" && !couldNameBucket(statement, scope.bucket)) return [];
    const hit = forbiddenActionHit(statement, forbidden);
    return hit
      ? [{ index, ...(statement.Sid === undefined ? {} : { sid: statement.Sid }), ...hit }]
      : [];
  });
}

/**
 * Nimble's identities: its documented users, its account root (which stands for every principal
 * of the account), and the principal of this merge (`--principal`).
 * @param principal - the principal of this merge
 * @returns ARNs to match Principal blocks against
 */
export function nimbleIdentities(principal: string): string[] {
  const root = `arn:aws:iam::${NIMBLE_ACCOUNT}:root`;
  return [...new Set([JOBS_PRINCIPAL, DELIVERY_PRINCIPAL, root, principal])];
}

/**
 * True when the statement's Principal could be one of Nimble's identities: `*`, Nimble's account
 * (id or root), any ARN in Nimble's account, or the merge's principal. An Allow with NotPrincipal
 * applies to every principal of Nimble's account it does not list, so it could (unless it lists
 * `*`). A statement with neither element is counted as applying (AWS requires one in a resource
 * policy; better refuse than guess).
 * @param statement - a statement of the merged policy
 * @param principal - the principal of this merge
 * @returns whether a Nimble identity could be among those the statement applies to
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function couldApplyToNimble(statement: Statement, principal: string): boolean {
  if (statement.NotPrincipal !== undefined) return !compilePrincipals(statement.NotPrincipal).any;
  if (statement.Principal === undefined) return true;
  if (statement.Principal !== "*" && hasOpaquePrincipal(statement.Principal)) return true;

  const set = compilePrincipals(statement.Principal);
  const named = nimbleIdentities(principal).some((id) => principalMatches(set, principalInfo(id)));
  return named || set.arns.some((arn) => isInNimbleAccount(arn) || isSameIdentity(arn, principal));
}

/**
 * A principal that cannot be told apart from Nimble here: a canonical user id (it names an AWS
 * account, whose id is not known), a federated or otherwise unknown principal kind, or an AWS
 * value that is neither an account id nor an ARN (a unique id such as AIDA…). Service principals
 * are AWS services, never Nimble.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-bucket-user-policy-specifying-principal-intro.html
 */
function hasOpaquePrincipal(block: Exclude<Statement["Principal"], "*" | undefined>): boolean {
  return Object.entries(block).some(([kind, values]) => {
    if (kind === "Service") return false;
    if (kind !== "AWS") return true;
    return toList(values).some((value) => value !== "*" && !AWS_PRINCIPAL.test(value));
  });
}

const AWS_PRINCIPAL = /^(\d{12}|arn:[^:]+:(iam|sts)::\d{12}:.+)$/;

/**
 * The merge's principal itself, compared as IAM compares names (case-insensitively), or a session
 * of it when it is a role (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
 */
function isSameIdentity(arn: string, principal: string): boolean {
  if (arn.toLowerCase() === principal.toLowerCase()) return true;

  const role = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principal);
  const session = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return (
    role !== null &&
    session !== null &&
    role[1] === session[1] &&
    role[2]?.toLowerCase() === session[2]?.toLowerCase()
  );
}

/**
 * True when the statement's Principal names only Nimble's identities (no `*`, no one else): a
 * statement a merge may replace by its Sid without losing someone else's grant.
 * @param statement - an existing statement with one of Nimble's Sids
 * @param principal - the principal of this merge
 * @returns whether the statement grants to Nimble alone
 */
export function grantsToNimbleOnly(statement: Statement, principal: string): boolean {
  const block = statement.Principal;
  if (statement.NotPrincipal !== undefined || block === undefined || block === "*") return false;

  const entries = Object.entries(block).flatMap(([kind, values]) =>
    toList(values).map((value) => ({ kind, value })),
  );
  const isNimble = ({ kind, value }: { kind: string; value: string }): boolean =>
    kind === "AWS" && (value === NIMBLE_ACCOUNT || value === principal || isInNimbleAccount(value));
  return entries.length > 0 && entries.every(isNimble);
}

function isInNimbleAccount(arn: string): boolean {
  return new RegExp(`^arn:[^:]+:(iam|sts)::${NIMBLE_ACCOUNT}:`).test(arn);
}

/**
 * True when Resource (or NotResource) could name the bucket or an object in it, compared without
 * regard to case (the guard errs towards refusing). A policy variable could become anything: in
 * Resource it counts as `*`; in NotResource the entry may exclude nothing, so it is ignored.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
 */
function couldNameBucket(statement: Statement, bucket: string): boolean {
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const objects = `${bucketArn}/*`;
  if (statement.NotResource !== undefined) {
    const excluded = toList(statement.NotResource).filter((p) => !/\$\{/.test(p));
    const coversBucket = excluded.some((p) => patternsOverlap(p, bucketArn, true));
    return !(coversBucket && excluded.some((p) => patternCovers(p, objects, true)));
  }
  if (statement.Resource === undefined) return true;

  return toList(statement.Resource)
    .map(widenVariables)
    .some((p) => patternsOverlap(p, bucketArn, true) || patternsOverlap(p, objects, true));
}

function widenVariables(pattern: string): string {
  return pattern.replace(/\$\{[^}]*\}/g, "*");
}

/**
 * The first forbidden action the statement's Action could name, or that its NotAction does not
 * exclude entirely.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 */
function forbiddenActionHit(
  statement: Statement,
  forbidden: readonly ForbiddenAction[],
): { action: string; forbidden: string } | undefined {
  if (statement.NotAction !== undefined) {
    const excluded = toList(statement.NotAction);
    const open = forbidden.find((f) => !excluded.some((p) => patternCovers(p, f.action, true)));
    return open && { action: `NotAction ${JSON.stringify(excluded)}`, forbidden: open.action };
  }

  for (const action of toList(statement.Action)) {
    const hit = forbidden.find((f) => patternsOverlap(action, f.action, true));
    if (hit) return { action: `Action ${JSON.stringify(action)}`, forbidden: hit.action };
  }
  return undefined;
}

function grantMessage(grant: MergedGrant, scope: DeleteCheckScope): string {
  const where =
    grant.sid === undefined
      ? `Statement[${grant.index}]`
      : `Statement[${grant.index}] (Sid ${grant.sid})`;
  const what = scope.kind === "s3-bucket-policy" ? `bucket ${scope.bucket}` : "the key";

  return (
    `${where} could let Nimble ${grant.forbidden} on ${what} (${grant.action}, to a principal ` +
    "that may be Nimble's, conditions aside); nimble-bucket never grants a delete or admin " +
    "right: remove that grant and merge again"
  );
}
