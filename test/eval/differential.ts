/**
 * The differential run shared by the CI test and scripts/differential.mjs: our decisions against
 * @cloud-copilot/iam-simulate on generated policies with fully known contexts.
 */
import { evaluatePolicy } from "../../src/policy/eval/evaluate.js";
import type { Decision } from "../../src/policy/eval/types.js";
import { generateCases, type GeneratedCase, type GeneratorOptions } from "./generator.js";
import { referenceDecision } from "./reference.js";

/**
 * What the comparison covers. Excluded, because iam-simulate departs from AWS's documentation
 * there (the documentation wins):
 * - NotPrincipal (generator option `notPrincipal` off): AWS checks the account, then the user
 *   (then role and session), so a Deny whose NotPrincipal lists an account root but not the
 *   user still denies that user, and one listing the user but not its account may deny it too;
 *   iam-simulate treats a listed account root as exempting every principal of the account.
 *   @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export const DIFFERENTIAL_OPTIONS: GeneratorOptions = {
  notPrincipal: false,
  variables: true,
  keyCase: true,
  shortArns: true,
};

/** A case where the two engines disagree. */
export interface Mismatch {
  ours: Decision;
  reference: Decision | { error: string };
  case: GeneratedCase;
}

/** Runs `count` generated cases from `seed` and returns the disagreements and errors. */
export async function runDifferential(
  seed: number,
  count: number,
  options: GeneratorOptions = DIFFERENTIAL_OPTIONS,
): Promise<{ compared: number; mismatches: Mismatch[]; tally: Record<Decision, number> }> {
  const mismatches: Mismatch[] = [];
  const tally: Record<Decision, number> = {
    allowed: 0,
    "implicitly-denied": 0,
    "explicitly-denied": 0,
    depends: 0,
  };
  for (const generated of generateCases(seed, count, options)) {
    const ours = evaluatePolicy(generated.policy, generated.request).decision;
    const reference = await referenceDecision(generated.policy, generated.request);
    tally[ours] += 1;
    if (ours !== reference) mismatches.push({ ours, reference, case: generated });
  }
  return { compared: count, mismatches, tally };
}
