import type { NimbleError } from "../errors.js";
import { findCheck, S3_CHECKS } from "./registry.js";
import type { CheckInfo, Finding, Severity } from "./types.js";

/**
 * What the S3 and GCS audits share around their checks: the guarded runner (a check that throws
 * becomes a "could not evaluate" finding and the run goes on), the registry's severity, the
 * AUDIT-COULD-NOT-READ finding of a live read, and a parse error's message without its source.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-validation.html
 */

/**
 * Runs one check; one that throws becomes the caller's failed-check finding instead.
 * @param run - the check applied to its input
 * @param failed - builds the failed-check finding (AUDIT-CHECK-FAILED, GCS-CHECK-FAILED) from the
 *   error's message
 * @returns the check's findings, or the one failed-check finding
 */
export function runGuarded<Raw>(run: () => Raw[], failed: (reason: string) => Raw): Raw[] {
  try {
    return run();
  } catch (error) {
    return [failed(error instanceof Error ? error.message : String(error))];
  }
}

/**
 * The severity a finding with this id gets.
 * @param id - the check id
 * @param checks - the registry to look in; @default S3_CHECKS
 * @returns the registered severity; `error` for an unknown id, so nothing slips through
 */
export function severityOf(id: string, checks: readonly CheckInfo[] = S3_CHECKS): Severity {
  return findCheck(id, checks)?.severity ?? "error";
}

/**
 * The AUDIT-COULD-NOT-READ finding of a live read that failed.
 * @param what - what was read, e.g. `the bucket policy` or `the IAM policy (storage.buckets.get)`
 * @param bucketUrl - `s3://B` or `gs://B`, also the finding's location
 * @param reason - why, already redacted
 * @returns the finding
 */
export function couldNotRead(what: string, bucketUrl: string, reason: string): Finding {
  return {
    id: "AUDIT-COULD-NOT-READ",
    severity: severityOf("AUDIT-COULD-NOT-READ"),
    message: `could not read ${what} of ${bucketUrl}: ${reason}`,
    location: { source: bucketUrl },
  };
}

/**
 * A parse error's message without the leading `${source}: ` the parser put there, for a finding
 * that names the source itself.
 * @param error - the parser's error
 * @param source - the source it names, e.g. `bucket policy of s3://B`
 * @returns the message, the source prefix removed when present
 */
export function messageWithoutSource(error: NimbleError, source: string): string {
  const prefix = `${source}: `;

  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}
