import { describe, expect, it } from "vitest";
import {
  FORBIDDEN_KMS_ACTIONS,
  FORBIDDEN_S3_ACTIONS,
  patternCovers,
  patternsOverlap,
} from "../../src/policy/forbidden-actions.js";
import { assertNoDeleteRights } from "../../src/policy/guard.js";
import { mergedDeleteGrants } from "../../src/policy/guard-merged.js";
import type { Statement } from "../../src/policy/types.js";

const allow = (Action: string | string[]): Statement => ({
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::744254827463:user/crawlit-scrapy" },
  Action,
  Resource: "arn:aws:s3:::example-bucket/*",
});

// The delete and admin actions of S3 and KMS that no generated statement may grant.
// @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
// @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
describe("assertNoDeleteRights refuses every delete and admin action", () => {
  it.each([
    "s3:ReplicateDelete",
    "s3:PutReplicationConfiguration",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutEncryptionConfiguration",
    "s3:DeleteBucketCors",
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:DisableKeyRotation",
    "kms:Dis*",
  ])("refuses an Allow of %s", (action) => {
    expect(() => assertNoDeleteRights([allow(["s3:GetObject", action])])).toThrow(
      /^Statement\[0\]: .*never grants/,
    );
  });
});

// AWS's lockout safety check requires the key's own account to keep kms:PutKeyPolicy; the owner
// statement of a complete key policy may keep admin rights, never a delete.
// @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
describe("assertNoDeleteRights with the key owner", () => {
  const OWNER = "arn:aws:iam::111122223333:root";
  const ownerAllow = (Action: string[], AWS: string | string[] = OWNER): Statement => ({
    Effect: "Allow",
    Principal: { AWS },
    Action,
    Resource: "*",
  });

  it.each([
    ["kms:PutKeyPolicy for the owner", ownerAllow(["kms:PutKeyPolicy", "kms:CreateGrant"])],
  ])("lets %s through", (_name, statement) => {
    expect(assertNoDeleteRights([statement], { owner: OWNER })).toHaveLength(1);
  });

  it.each([
    ["kms:ScheduleKeyDeletion for the owner", ownerAllow(["kms:ScheduleKeyDeletion"])],
    ["kms:DisableKey for the owner", ownerAllow(["kms:DisableKey"])],
    ["kms:PutKeyPolicy for another principal", ownerAllow(["kms:PutKeyPolicy"], "111122223333")],
    [
      "kms:PutKeyPolicy for the owner and Nimble together",
      ownerAllow(["kms:PutKeyPolicy"], [OWNER, "arn:aws:iam::744254827463:user/webit-uploader"]),
    ],
  ])("refuses %s", (_name, statement) => {
    expect(() => assertNoDeleteRights([statement], { owner: OWNER })).toThrow(/never grants/);
  });
});

// One list of delete and admin actions feeds both gates: whatever the merged-policy check refuses
// for Nimble, the generator gate refuses too, and the other way round.
describe("the two gates read one list", () => {
  const nimble = { AWS: "arn:aws:iam::744254827463:user/crawlit-scrapy" };
  const s3Scope = { kind: "s3-bucket-policy", principal: nimble.AWS, bucket: "b-1" } as const;
  const keyScope = { kind: "kms-key-policy", principal: nimble.AWS } as const;

  it.each([...FORBIDDEN_S3_ACTIONS, ...FORBIDDEN_KMS_ACTIONS].map((f) => f.action))(
    "both refuse an Allow of %s",
    (action) => {
      const statement: Statement = {
        Effect: "Allow",
        Principal: nimble,
        Action: action,
        Resource: "*",
      };
      const scope = action.startsWith("s3:") ? s3Scope : keyScope;

      expect(() => assertNoDeleteRights([statement])).toThrow(/never grants/);
      expect(mergedDeleteGrants({ Statement: [statement] }, scope)).toHaveLength(1);
    },
  );
});

// IAM wildcards: `*` any run of characters, `?` exactly one; actions compare case-insensitively.
// @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
describe("patternsOverlap", () => {
  it.each<[string, string, boolean, boolean]>([
    ["s3:*Object", "s3:Delete*", true, true],
    ["s3:D?lete*", "s3:Delete*", true, true],
    ["s3:deleteobject", "s3:Delete*", true, true],
    ["s3:deleteobject", "s3:Delete*", false, false],
    ["s3:Get*", "s3:Delete*", true, false],
    ["s3:*Tagging", "s3:PutBucketPolicy", true, false],
    ["arn:aws:s3:::*", "arn:aws:s3:::b-1/*", false, true],
    ["arn:aws:s3:::b-1x/*", "arn:aws:s3:::b-1/*", false, false],
    ["arn:aws:s3:::b-?", "arn:aws:s3:::b-1", false, true],
  ])("%s and %s (ignoreCase %s): %s", (a, b, ignoreCase, expected) => {
    expect(patternsOverlap(a, b, ignoreCase)).toBe(expected);
    expect(patternsOverlap(b, a, ignoreCase)).toBe(expected);
  });

  it.each<[string, string, boolean]>([
    ["s3:*", "s3:Delete*", true],
    ["S3:DELETE*", "s3:Delete*", true],
    ["s3:DeleteObject", "s3:Delete*", false],
    ["s3:Del?te*", "s3:Delete*", false],
    ["arn:aws:s3:::b-1/*", "arn:aws:s3:::b-1/*", true],
    ["s3:DeleteObject", "s3:deleteobject", true],
  ])("patternCovers(%s, %s): %s", (p, q, expected) => {
    expect(patternCovers(p, q, true)).toBe(expected);
  });
});
