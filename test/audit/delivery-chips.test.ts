import { describe, expect, it } from "vitest";
import { auditS3 } from "../../src/audit/audit-s3.js";
import { s3BucketPolicy } from "../../src/policy/generate/s3.js";
import type { PolicyDocument, Statement } from "../../src/policy/types.js";

// A Deny on uploads without the SSE header (case C11's statement) applied to delivery: the
// delivery probe's PutObject sends no such header, so its chip is Access denied, as for Jobs;
// Nimble's real uploads stay `depends` because their headers are not documented.
const denyUnencrypted: Statement = {
  Sid: "DenyUnEncryptedObjectUploads",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:PutObject",
  Resource: "arn:aws:s3:::example-bucket/*",
  Condition: { Null: { "s3:x-amz-server-side-encryption": "true" } },
};

function audit(policy: PolicyDocument) {
  return auditS3({
    use: "delivery",
    bucket: "example-bucket",
    prefix: "results/",
    bucketPolicy: { document: policy, source: "policy.json" },
  });
}

describe("delivery's predicted chip", () => {
  const generated = s3BucketPolicy({
    use: "delivery",
    bucket: "example-bucket",
    prefix: "results/",
  });

  it.each([
    { name: "the generated policy", statements: [], chip: "ok" },
    {
      name: "a Deny requiring the SSE header",
      statements: [denyUnencrypted],
      chip: "access-denied",
    },
  ])("is $chip with $name", ({ statements, chip }) => {
    const result = audit({ ...generated, Statement: [...generated.Statement, ...statements] });

    expect(result.predictedChips).toEqual({ write: chip });
  });

  it("keeps Nimble's own uploads undecided under that Deny", () => {
    const result = audit({ ...generated, Statement: [...generated.Statement, denyUnencrypted] });
    const upload = result.operations.find((op) => op.operation === "PutObject(results/*)");

    expect(upload?.decision).toBe("depends");
  });
});
