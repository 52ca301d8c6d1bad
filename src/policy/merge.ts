import { NimbleError, inputError } from "../errors.js";
import { assertNoDeleteRights } from "./guard.js";
import type { DeleteCheckScope } from "./guard-merged.js";
import { assertMergedNoDeleteRights, grantsToNimbleOnly } from "./guard-merged.js";
import type { PolicyDocument, Statement } from "./types.js";

/**
 * Adds Nimble's statements to an existing bucket or key policy, replacing them by Sid. Every
 * other statement is the parsed original object, untouched, so it serializes to the same JSON.
 */

/** Which AWS size limit applies to the merged document. */
export type PolicyKind = "s3-bucket-policy" | "kms-key-policy";

/**
 * Size limits in bytes. S3 documents "20 KB" and, as observed, measures the policy without
 * insignificant whitespace; KMS documents 32,768 bytes for the document it is given.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
 */
export const POLICY_SIZE_LIMITS: Readonly<Record<PolicyKind, number>> = {
  "s3-bucket-policy": 20 * 1024,
  "kms-key-policy": 32 * 1024,
};

/** Options of {@link mergePolicy}. */
export interface MergeOptions {
  /**
   * Bucket policy (bucket, prefixes) or key policy, and Nimble's principal: picks the size limit
   * and where the merged policy is checked for delete rights
   */
  scope: DeleteCheckScope;
  /** The flag the existing policy came from, named in errors. @default "--merge" */
  field?: string;
  /**
   * Sids that belong to the generator: existing statements with one of them are replaced (or
   * dropped when the new set has no statement with that Sid). @default the new statements' Sids
   */
  ownedSids?: readonly string[];
}

/** What a merge changed, with positions in the existing policy. */
export interface MergeResult {
  policy: PolicyDocument;
  /** Sids replaced in place, with their index in the existing policy */
  replaced: { index: number; sid: string }[];
  /** Sids of statements appended at the end */
  added: string[];
  /** Existing statements dropped because the generator owns their Sid but no longer emits it */
  removed: { index: number; sid: string }[];
}

/**
 * Merges generated statements into an existing policy by Sid. Idempotent: merging the result
 * again with the same statements gives the same document. Refuses an existing policy whose Sids
 * repeat (IAM requires them unique, and a merge by Sid would drop one), a customer statement
 * that uses one of Nimble's Sids (a Deny, or an Allow to anyone but Nimble: it would be replaced
 * and lost), and a merged policy that could let Nimble delete or administer (see
 * assertMergedNoDeleteRights).
 * @param existing - the parsed policy (see parsePolicyText)
 * @param statements - generated statements, each with a Sid
 * @param options - where the policy applies, and the Sids the generator owns
 * @returns the merged policy and what changed
 * @throws NimbleError E_INPUT naming `options.field` (and the statement) for a repeated Sid, a
 *   customer statement with Nimble's Sid, a delete or admin right, or a policy over the size limit
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
 */
export function mergePolicy(
  existing: PolicyDocument,
  statements: readonly Statement[],
  options: MergeOptions,
): MergeResult {
  assertNoDeleteRights(statements);
  const field = options.field ?? "--merge";
  const bySid = new Map(statements.map((s) => [sidOf(s), s]));
  const owned = new Set([...(options.ownedSids ?? []), ...bySid.keys()]);
  assertMergeable(existing.Statement, owned, options.scope.principal, field);
  const result: MergeResult = { policy: existing, replaced: [], added: [], removed: [] };
  const merged: Statement[] = [];

  existing.Statement.forEach((statement, index) => {
    const sid = statement.Sid;
    if (sid === undefined || !owned.has(sid)) return void merged.push(statement);
    const replacement = bySid.get(sid);
    bySid.delete(sid);
    if (replacement) merged.push(replacement);
    (replacement ? result.replaced : result.removed).push({ index, sid });
  });
  for (const [sid, statement] of bySid) {
    merged.push(statement);
    result.added.push(sid);
  }

  result.policy = { ...existing, Statement: merged };
  assertPolicySize(result.policy, options.scope.kind, field);
  assertMergedNoDeleteRights(result.policy, options.scope, field);
  return result;
}

/**
 * IAM: "the Sid value must be unique within a JSON policy". A merge by Sid would otherwise keep
 * one statement of a pair and silently drop the other. A statement with one of Nimble's Sids is
 * replaced only when it is Nimble's: an Allow to Nimble's identities alone.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
 */
function assertMergeable(
  existing: readonly Statement[],
  owned: Set<string>,
  principal: string,
  field: string,
): void {
  const seen = new Map<string, number>();
  existing.forEach((statement, index) => {
    const sid = statement.Sid;
    if (sid === undefined) return;
    const first = seen.get(sid);
    if (first !== undefined) throw inputError(field, repeatedSid(index, first, sid));
    seen.set(sid, index);
    if (!owned.has(sid)) return;
    if (statement.Effect === "Deny") throw inputError(field, nimbleDeny(index, sid));
    if (!grantsToNimbleOnly(statement, principal)) throw inputError(field, notNimbles(index, sid));
  });
}

function notNimbles(index: number, sid: string): string {
  return (
    `Statement[${index}].Sid "${sid}" is one of Nimble's Sids on a statement that grants to ` +
    "someone other than Nimble; merging would replace it and lose that grant: rename its Sid " +
    "and merge again"
  );
}

function repeatedSid(index: number, first: number, sid: string): string {
  return (
    `Statement[${index}].Sid "${sid}" repeats Statement[${first}].Sid; IAM requires Sids to be ` +
    "unique within a policy: rename one and merge again"
  );
}

function nimbleDeny(index: number, sid: string): string {
  return (
    `Statement[${index}].Sid "${sid}" is a Deny using one of Nimble's Sids; merging would replace ` +
    "it with Nimble's Allow: rename its Sid and merge again"
  );
}

/**
 * The size AWS compares with its limit: UTF-8 bytes of the JSON without whitespace.
 * @param policy - the document
 * @returns bytes
 */
export function policySize(policy: PolicyDocument): number {
  return Buffer.byteLength(JSON.stringify(policy), "utf8");
}

/**
 * Throws when a policy is larger than AWS accepts: bad input, since the existing policy is what
 * leaves no room.
 * @param policy - the document
 * @param kind - bucket policy or key policy
 * @param field - the flag to name. @default "--merge"
 * @throws NimbleError E_INPUT naming the field
 */
export function assertPolicySize(
  policy: PolicyDocument,
  kind: PolicyKind,
  field = "--merge",
): void {
  const size = policySize(policy);
  const limit = POLICY_SIZE_LIMITS[kind];
  if (size <= limit) return;

  const what = kind === "s3-bucket-policy" ? "S3 bucket policy" : "KMS key policy";
  throw inputError(
    field,
    `the merged ${what} would be ${size} bytes (without whitespace), over AWS's limit of ` +
      `${limit} bytes; remove or combine statements first`,
  );
}

function sidOf(statement: Statement): string {
  if (!statement.Sid) throw new NimbleError("E_INPUT", "a generated statement has no Sid");
  return statement.Sid;
}
