/**
 * The one list of AWS actions that delete, or administer in a way that leads to a delete. Both
 * gates read it: `assertNoDeleteRights` (generated statements) and `assertMergedNoDeleteRights`
 * (a merged policy, the customer's statements included).
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 */

/** `delete` removes data or a key; `admin` hands over control, from which a delete follows. */
export type ForbiddenKind = "delete" | "admin";

/** One forbidden action, or a family of them (`s3:Delete*`), and why. */
export interface ForbiddenAction {
  /** An IAM action or an action pattern with a trailing `*` */
  action: string;
  kind: ForbiddenKind;
}

const del = (action: string): ForbiddenAction => ({ action, kind: "delete" });
const admin = (action: string): ForbiddenAction => ({ action, kind: "admin" });

/**
 * S3: every `Delete*` action (objects, versions, the bucket, its policy and configurations);
 * replication of deletes; configurations that delete later (lifecycle, replication) or take
 * the bucket from its owner (policy, ACL, ownership, public access block, Object Lock,
 * versioning, default encryption with a key the owner cannot use); and the Object Lock rights
 * that shorten or bypass a retention.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
 */
export const FORBIDDEN_S3_ACTIONS: readonly ForbiddenAction[] = [
  del("s3:Delete*"),
  del("s3:ReplicateDelete"),
  del("s3:PutLifecycleConfiguration"),
  del("s3:BypassGovernanceRetention"),
  admin("s3:PutReplicationConfiguration"),
  admin("s3:PutBucketPolicy"),
  admin("s3:PutBucketAcl"),
  admin("s3:PutBucketOwnershipControls"),
  admin("s3:PutBucketObjectLockConfiguration"),
  admin("s3:PutBucketPublicAccessBlock"),
  admin("s3:PutBucketVersioning"),
  admin("s3:PutObjectRetention"),
  admin("s3:PutObjectLegalHold"),
  admin("s3:PutEncryptionConfiguration"),
];

/**
 * KMS: scheduling deletion, every `Delete*` (imported key material, aliases) and `Disable*`
 * (the key, its rotation); the "Permissions management" actions of a key: PutKeyPolicy (rewrite
 * the policy, then grant oneself deletion), CreateGrant (hand out use of the key), RetireGrant
 * and RevokeGrant (delete grants others rely on). UpdateKeyDescription and tagging are left out:
 * they change metadata only.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-adding-permission.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/grant-delete.html
 */
export const FORBIDDEN_KMS_ACTIONS: readonly ForbiddenAction[] = [
  del("kms:ScheduleKeyDeletion"),
  del("kms:Delete*"),
  del("kms:Disable*"),
  admin("kms:PutKeyPolicy"),
  admin("kms:CreateGrant"),
  admin("kms:RetireGrant"),
  admin("kms:RevokeGrant"),
];

/**
 * The forbidden actions of a service.
 * @param service - `s3` or `kms`
 * @returns its list
 */
export function forbiddenActionsOf(service: "s3" | "kms"): readonly ForbiddenAction[] {
  return service === "s3" ? FORBIDDEN_S3_ACTIONS : FORBIDDEN_KMS_ACTIONS;
}

/**
 * True when some string matches both IAM patterns (`*` any run, `?` one character): whether an
 * Action pattern such as `s3:*Object` can name an action of the family `s3:Delete*`.
 * @param a - a pattern
 * @param b - another pattern
 * @param ignoreCase - true for actions, false for resources
 * @returns whether the two patterns share a match
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
export function patternsOverlap(a: string, b: string, ignoreCase: boolean): boolean {
  const x = ignoreCase ? a.toLowerCase() : a;
  const y = ignoreCase ? b.toLowerCase() : b;
  const memo = new Map<number, boolean>();

  const overlap = (i: number, j: number): boolean => {
    const key = i * (y.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, false);
    const result = step(i, j);
    memo.set(key, result);
    return result;
  };
  const step = (i: number, j: number): boolean => {
    if (i === x.length && j === y.length) return true;
    if (x[i] === "*") return overlap(i + 1, j) || (j < y.length && overlap(i, j + 1));
    if (y[j] === "*") return overlap(i, j + 1) || (i < x.length && overlap(i + 1, j));
    if (i === x.length || j === y.length) return false;
    return (x[i] === y[j] || x[i] === "?" || y[j] === "?") && overlap(i + 1, j + 1);
  };

  return overlap(0, 0);
}

/**
 * True when pattern `p` matches every string `q` matches, for `q` a literal or a literal with
 * one trailing `*`. Errs towards false (not covered) for patterns it cannot decide simply.
 * @param p - the covering pattern (a NotAction or NotResource entry)
 * @param q - `s3:DeleteObject` or `s3:Delete*`
 * @param ignoreCase - true for actions
 * @returns whether every match of q is a match of p
 */
export function patternCovers(p: string, q: string, ignoreCase: boolean): boolean {
  const x = ignoreCase ? p.toLowerCase() : p;
  const y = ignoreCase ? q.toLowerCase() : q;
  if (!y.endsWith("*")) return patternsOverlap(x, y, false) && !/[*?]/.test(y);

  const star = x.indexOf("*");
  if (star < 0 || /[^*]/.test(x.slice(star))) return false;
  const head = x.slice(0, star);
  return !head.includes("?") && y.slice(0, -1).startsWith(head);
}
