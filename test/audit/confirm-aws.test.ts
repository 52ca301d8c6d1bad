import { IAMClient, SimulateCustomPolicyCommand } from "@aws-sdk/client-iam";
import type { SimulateCustomPolicyCommandInput } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { confirmWithAws } from "../../src/audit/confirm-aws.js";
import type { S3AuditInput } from "../../src/audit/audit-s3.js";
import { parsePolicyText } from "../../src/policy/parse.js";
import { fixture } from "./support.js";

/**
 * `--confirm-with-aws` against a mocked IAM (no local IAM policy simulator exists). The mocked
 * answers are what AWS documents for the C12 policy: a Deny on s3:* unless aws:SourceVpce is the
 * customer's endpoint explicitly denies a caller that does not come through it.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
 */

const iam = mockClient(IAMClient);
const SOURCE = "c12-deny-outside-vpce.bucket-policy.json";
const INPUT: S3AuditInput = {
  use: "jobs",
  bucket: "example-bucket",
  bucketPolicy: { document: parsePolicyText(fixture(SOURCE), SOURCE), source: SOURCE },
};

function answer(decide: (input: SimulateCustomPolicyCommandInput) => string) {
  iam.on(SimulateCustomPolicyCommand).callsFake((input: SimulateCustomPolicyCommandInput) => ({
    EvaluationResults: [
      {
        EvalActionName: input.ActionNames?.[0],
        EvalResourceName: input.ResourceArns?.[0],
        EvalDecision: decide(input),
      },
    ],
  }));
}

describe("confirmWithAws", () => {
  beforeEach(() => iam.reset());

  it("reports nothing when AWS agrees (explicit deny everywhere)", async () => {
    answer(() => "explicitDeny");

    const findings = await confirmWithAws(INPUT, { iam: iam as unknown as IAMClient });

    expect(findings).toEqual([]);
  });

  it("reports each operation where AWS disagrees", async () => {
    answer((input) =>
      input.ActionNames?.[0] === "s3:AbortMultipartUpload" ? "allowed" : "explicitDeny",
    );

    const findings = await confirmWithAws(INPUT, { iam: iam as unknown as IAMClient });

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: "AUDIT-AWS-DISAGREES", severity: "warning" });
    expect(findings[0]!.message).toContain("AbortMultipartUpload(output/*)");
    expect(findings[0]!.message).toContain("AWS's simulator says allowed");
  });

  it("sends the bucket policy as the resource policy, Nimble's user as caller, another owner", async () => {
    answer(() => "explicitDeny");

    await confirmWithAws(INPUT, { iam: iam as unknown as IAMClient, bucketOwner: "111122223333" });

    const sent = iam.commandCalls(SimulateCustomPolicyCommand)[0]!.args[0].input;
    expect(JSON.parse(sent.ResourcePolicy ?? "")).toEqual(INPUT.bucketPolicy!.document);
    expect(sent.CallerArn).toBe("arn:aws:iam::744254827463:user/crawlit-scrapy");
    expect(sent.ResourceOwner).toBe("arn:aws:iam::111122223333:root");
    expect(sent.ContextEntries).toContainEqual({
      ContextKeyName: "aws:SecureTransport",
      ContextKeyValues: ["true"],
      ContextKeyType: "boolean",
    });
  });

  it("does not ask about decisions that depend on unknown values", async () => {
    answer(() => "allowed");
    const source = "c11-deny-without-sse-header.bucket-policy.json";
    const input = {
      ...INPUT,
      bucketPolicy: { document: parsePolicyText(fixture(source), source), source },
    };

    await confirmWithAws(input, { iam: iam as unknown as IAMClient });

    const asked = iam
      .commandCalls(SimulateCustomPolicyCommand)
      .map((c) => `${c.args[0].input.ActionNames?.[0]} ${c.args[0].input.ResourceArns?.[0]}`);
    expect(asked).toContain("s3:GetObject arn:aws:s3:::example-bucket/output/example");
    expect(asked).not.toContain("s3:PutObject arn:aws:s3:::example-bucket/output/example");
  });
});

describe("confirmWithAws when IAM answers with an error", () => {
  beforeEach(() => iam.reset());

  /** An SDK error as the client throws it: name, message, HTTP status, fault. */
  function sdkError(name: string, message: string, status?: number): Error {
    const error = new Error(message);
    error.name = name;
    return Object.assign(error, status ? { $metadata: { httpStatusCode: status } } : {});
  }

  // SimulateCustomPolicy's documented errors: InvalidInput (400), PolicyEvaluation (500); a
  // caller without iam:SimulateCustomPolicy gets AccessDenied (403).
  // @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
  it.each([
    {
      name: "403 AccessDenied (no iam:SimulateCustomPolicy)",
      error: sdkError("AccessDenied", "User: x is not authorized to perform this action", 403),
      cause: "AccessDenied (HTTP 403): User: x is not authorized",
    },
    {
      name: "500 PolicyEvaluation",
      error: sdkError("PolicyEvaluationException", "The policy evaluation failed", 500),
      cause: "PolicyEvaluationException (HTTP 500): The policy evaluation failed",
    },
    {
      name: "ECONNREFUSED",
      error: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {
        code: "ECONNREFUSED",
      }),
      cause: "Error ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9",
    },
    {
      name: "an access key id in the message is redacted",
      error: sdkError("AccessDenied", "key AKIAIOSFODNN7EXAMPLE may not simulate", 403),
      cause: "AccessDenied (HTTP 403): key [redacted] may not simulate",
    },
  ])("$name becomes one AUDIT-AWS-CONFIRM-FAILED warning", async ({ error, cause }) => {
    iam.on(SimulateCustomPolicyCommand).rejects(error);

    const findings = await confirmWithAws(INPUT, { iam: iam as unknown as IAMClient });

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      id: "AUDIT-AWS-CONFIRM-FAILED",
      severity: "warning",
      location: { source: SOURCE },
    });
    expect(findings[0]!.message).toContain(cause);
    expect(iam.commandCalls(SimulateCustomPolicyCommand)).toHaveLength(1);
  });

  it("keeps the disagreements found before the error", async () => {
    iam
      .on(SimulateCustomPolicyCommand)
      .resolvesOnce({
        EvaluationResults: [{ EvalActionName: "s3:ListBucket", EvalDecision: "allowed" }],
      })
      .rejects(sdkError("ServiceFailure", "internal error", 500));

    const findings = await confirmWithAws(INPUT, { iam: iam as unknown as IAMClient });

    expect(findings.map((f) => f.id)).toEqual(["AUDIT-AWS-DISAGREES", "AUDIT-AWS-CONFIRM-FAILED"]);
  });
});
