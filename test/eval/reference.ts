/**
 * The reference: @cloud-copilot/iam-simulate (AGPL, a devDependency: imported only from test/,
 * bench/ and scripts/, never from src/). The policy is the resource policy of a bucket in another
 * account, and the caller's own identity policy allows everything, so the overall result is the
 * resource policy's decision for a cross-account caller.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { Decision, EvalRequest } from "../../src/policy/eval/types.js";
import type { PolicyDocument } from "../../src/policy/types.js";
import { RESOURCE_ACCOUNT } from "./generator.js";

const ALLOW_ALL = {
  name: "allow-all",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

/** The simulation iam-simulate runs for one policy and request. */
export function simulation(policy: PolicyDocument, request: EvalRequest): Simulation {
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: RESOURCE_ACCOUNT },
      contextVariables: Object.fromEntries(
        Object.entries(request.context ?? {}).map(([k, v]) => [
          k,
          typeof v === "string" ? v : [...v],
        ]),
      ),
    },
    identityPolicies: [ALLOW_ALL],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
  };
}

const DECISIONS: Record<string, Decision> = {
  Allowed: "allowed",
  ImplicitlyDenied: "implicitly-denied",
  ExplicitlyDenied: "explicitly-denied",
};

/** iam-simulate's decision, or an error text when it refuses the input. */
export async function referenceDecision(
  policy: PolicyDocument,
  request: EvalRequest,
): Promise<Decision | { error: string }> {
  const result = await runSimulation(simulation(policy, request), {});
  if (result.resultType === "error") return { error: JSON.stringify(result.errors).slice(0, 300) };
  return DECISIONS[result.overallResult] ?? { error: `unexpected ${result.overallResult}` };
}
