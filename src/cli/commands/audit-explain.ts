import { findCheck, S3_CHECKS } from "../../audit/registry.js";
import type { CheckInfo } from "../../audit/types.js";
import { inputError } from "../../errors.js";

/**
 * `audit --explain ID`: a check's text from the registry, and the registry of every provider.
 */

/**
 * The S3 and GCS checks; the GCS table is loaded lazily.
 * @returns every check, S3's first
 */
export async function allChecks(): Promise<CheckInfo[]> {
  const { GCS_CHECKS } = await import("../../gcs/checks.js");
  return [...S3_CHECKS, ...GCS_CHECKS];
}

/**
 * A check's explanation as `--explain` prints it: id, severity, title, why, fix, link.
 * @param id - the check id, case-insensitive
 * @param checks - the registry to search
 * @returns the text, ending in a newline
 * @throws NimbleError E_INPUT naming --explain for an unknown id
 */
export function explainText(id: string, checks: readonly CheckInfo[]): string {
  const check = findCheck(id, checks);
  if (!check) throw inputError("--explain", `no check has the id "${id.slice(0, 80)}"`);

  const fix = check.fix ? `\nFix: ${check.fix}` : "";
  const see = check.see ? `\nSee ${check.see}` : "";
  return `${check.id} (${check.severity}): ${check.title}\n\n${check.explanation}${fix}${see}\n`;
}
