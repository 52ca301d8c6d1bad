import type { ContextEntry, ContextKeyTypeEnum, IAMClient } from "@aws-sdk/client-iam";
import type { Decision, EvalRequest } from "../policy/eval/types.js";
import type { PolicyDocument } from "../policy/types.js";
import type { S3AuditInput } from "./audit-s3.js";
import { checkContext } from "./audit-s3.js";
import type { EvaluatedOperation } from "./checks/types.js";
import { failureText } from "./live-s3.js";
import { severityOf } from "./run-checks.js";
import type { Finding } from "./types.js";

/**
 * `--confirm-with-aws`: asks IAM's own policy simulator (SimulateCustomPolicy) for each request
 * Nimble makes, with the bucket policy as the resource policy and Nimble's user as the caller,
 * and reports each decision where AWS and this tool disagree.
 *
 * The caller's identity policy is not known (it lives in Nimble's account), so the simulation
 * gives the caller an allow-all identity policy and a resource owner in another account: the
 * decision is then the bucket policy's alone, as in the audit. Requests whose decision depends
 * on unknown values are not compared.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
 */

/** Options for {@link confirmWithAws}. */
export interface ConfirmOptions {
  /** An IAM client (tests inject a mock); otherwise one is made from the default chain */
  iam?: IAMClient;
  /**
   * The bucket owner's account id; it must differ from Nimble's so the simulation is
   * cross-account. @default "111111111111" (a placeholder)
   */
  bucketOwner?: string;
}

const ALLOW_ALL = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

const AWS_DECISION: Readonly<Record<string, Decision>> = {
  allowed: "allowed",
  implicitDeny: "implicitly-denied",
  explicitDeny: "explicitly-denied",
};

/**
 * Asks IAM about each request; an IAM error (no iam:SimulateCustomPolicy right, a 5xx, no
 * network, no credentials) ends the questions and becomes one AUDIT-AWS-CONFIRM-FAILED finding
 * with the cause (redacted), next to the disagreements found before it. The audit goes on.
 * @param input - the audit input (the bucket policy must be present)
 * @param options - IAM client and bucket owner
 * @returns one AUDIT-AWS-DISAGREES finding per disagreement (none when all agree), and
 *   AUDIT-AWS-CONFIRM-FAILED when IAM could not be asked
 */
export async function confirmWithAws(
  input: S3AuditInput,
  options: ConfirmOptions = {},
): Promise<Finding[]> {
  const policy = input.bucketPolicy;
  if (!policy) return [];

  const findings: Finding[] = [];
  try {
    const ask = await simulator(policy.document, options);
    for (const op of checkContext(input).operations) {
      if (op.evaluation.decision === "depends") continue;
      const awsDecision = await ask(op.request);
      const theirs = awsDecision ? AWS_DECISION[awsDecision] : undefined;
      if (theirs !== op.evaluation.decision)
        findings.push(disagreement(op, awsDecision, policy.source));
    }
  } catch (error) {
    findings.push(confirmFailed(error, policy.source));
  }

  return findings;
}

type Ask = (request: EvalRequest) => Promise<string | undefined>;

/** One SimulateCustomPolicy call per request: the bucket policy as the resource policy. */
async function simulator(document: PolicyDocument, options: ConfirmOptions): Promise<Ask> {
  const sdk = await import("@aws-sdk/client-iam");
  const iam = options.iam ?? new sdk.IAMClient({ region: "us-east-1" });
  const owner = `arn:aws:iam::${options.bucketOwner ?? "111111111111"}:root`;
  const resourcePolicy = JSON.stringify(document);

  return async (request) => {
    const output = await iam.send(
      new sdk.SimulateCustomPolicyCommand({
        PolicyInputList: [ALLOW_ALL],
        ResourcePolicy: resourcePolicy,
        ResourceOwner: owner,
        CallerArn: request.principal,
        ActionNames: [request.action],
        ResourceArns: [request.resource],
        ContextEntries: contextEntries(request),
      }),
    );
    return output.EvaluationResults?.[0]?.EvalDecision;
  };
}

function confirmFailed(error: unknown, source: string): Finding {
  return {
    id: "AUDIT-AWS-CONFIRM-FAILED",
    severity: severityOf("AUDIT-AWS-CONFIRM-FAILED"),
    message: `could not ask IAM SimulateCustomPolicy: ${failureText(error)}`,
    location: { source },
  };
}

/** Context keys whose simulator type is not string. */
const KEY_TYPES: Readonly<Record<string, "boolean" | "numeric">> = {
  "aws:securetransport": "boolean",
  "aws:principalisawsservice": "boolean",
  "aws:viaawsservice": "boolean",
  "s3:max-keys": "numeric",
};

function contextEntries(request: EvalRequest): ContextEntry[] {
  return Object.entries(request.context ?? {}).map(([name, value]) => {
    const values = typeof value === "string" ? [value] : [...value];
    const scalar = KEY_TYPES[name.toLowerCase()] ?? "string";
    const type = (typeof value === "string" ? scalar : `${scalar}List`) as ContextKeyTypeEnum;
    return { ContextKeyName: name, ContextKeyValues: values, ContextKeyType: type };
  });
}

function disagreement(op: EvaluatedOperation, aws: string | undefined, source: string): Finding {
  return {
    id: "AUDIT-AWS-DISAGREES",
    severity: severityOf("AUDIT-AWS-DISAGREES"),
    message:
      `${op.operation} (${op.request.action} on ${op.request.resource}): ` +
      `this tool says ${op.evaluation.decision}, AWS's simulator says ${aws ?? "nothing"}`,
    location: { source, path: "Statement" },
  };
}
