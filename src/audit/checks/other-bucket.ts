import { toList } from "../../policy/types.js";
import { matchesWildcard } from "../../policy/wildcard.js";
import type { Check, CheckContext, RawFinding } from "./types.js";

/**
 * S3-POLICY-OTHER-BUCKET: no statement of the bucket policy names the audited bucket; every
 * Resource is another bucket's. A bucket policy can only grant on its own bucket, so the file is
 * most likely another bucket's policy, or `--bucket` names the wrong bucket.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
 */
export const policyForOtherBucket: Check = {
  name: "policyForOtherBucket",
  run: (context) => {
    const others = otherBuckets(context);
    if (others === undefined) return [];

    return [otherBucketFinding(context, others)];
  },
};

const S3_ARN = /^arn:aws[a-z-]*:s3:::([^/]*)/;

/** The other buckets every Resource names, or undefined when some statement may name this one. */
function otherBuckets(context: CheckContext): string[] | undefined {
  const statements = context.bucketPolicy?.document.Statement ?? [];
  if (statements.length === 0 || statements.some((s) => s.NotResource !== undefined))
    return undefined;

  const resources = statements.flatMap((statement) => toList(statement.Resource));
  const names = resources.map((resource) => S3_ARN.exec(resource)?.[1] ?? resource);
  const namesThis = names.some((name) => matchesWildcard(name, context.bucket, false));
  return namesThis || names.length === 0 ? undefined : [...new Set(names)];
}

function otherBucketFinding(context: CheckContext, others: string[]): RawFinding {
  const shown = others.slice(0, 3).join(", ") + (others.length > 3 ? ", ..." : "");
  return {
    id: "S3-POLICY-OTHER-BUCKET",
    message:
      `no statement names ${context.bucket}: every Resource is of another bucket (${shown}); ` +
      "is --bucket (or the policy file) the right one?",
    location: { source: context.bucketPolicy!.source, path: "Statement" },
  };
}
