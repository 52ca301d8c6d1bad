import { NimbleError } from "../errors.js";
import { assertNoDeleteRights } from "./guard.js";
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
  /** Which size limit to enforce */
  kind: PolicyKind;
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
 * again with the same statements gives the same document.
 * @param existing - the parsed policy (see parsePolicyText)
 * @param statements - generated statements, each with a Sid
 * @param options - the size limit and the Sids the generator owns
 * @returns the merged policy and what changed
 * @throws NimbleError E_LIMIT when the merged policy exceeds the AWS size limit
 */
export function mergePolicy(
  existing: PolicyDocument,
  statements: readonly Statement[],
  options: MergeOptions,
): MergeResult {
  assertNoDeleteRights(statements);
  const bySid = new Map(statements.map((s) => [sidOf(s), s]));
  const owned = new Set([...(options.ownedSids ?? []), ...bySid.keys()]);
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
  assertPolicySize(result.policy, options.kind);
  return result;
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
 * Throws when a policy is larger than AWS accepts.
 * @param policy - the document
 * @param kind - bucket policy or key policy
 * @throws NimbleError E_LIMIT
 */
export function assertPolicySize(policy: PolicyDocument, kind: PolicyKind): void {
  const size = policySize(policy);
  const limit = POLICY_SIZE_LIMITS[kind];
  if (size <= limit) return;

  const what = kind === "s3-bucket-policy" ? "S3 bucket policy" : "KMS key policy";
  throw new NimbleError(
    "E_LIMIT",
    `the merged ${what} would be ${size} bytes (without whitespace), over AWS's limit of ` +
      `${limit} bytes; remove or combine statements first`,
  );
}

function sidOf(statement: Statement): string {
  if (!statement.Sid) throw new NimbleError("E_INPUT", "a generated statement has no Sid");
  return statement.Sid;
}
