import type { PolicyKind } from "../../policy/merge.js";

/**
 * The guidance lines `policy` prints on stderr after its output, as data: one line each.
 * @see https://docs.aws.amazon.com/cli/latest/reference/s3api/get-bucket-policy.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
 * @see https://cloud.google.com/storage/docs/access-control/iam-permissions
 */
export const NOTES = {
  replace: (bucket: string): string =>
    "note: a complete bucket policy; applying it replaces the bucket's current policy. To keep " +
    `existing statements: aws s3api get-bucket-policy --bucket ${bucket} --query Policy ` +
    "--output text | nimble-bucket policy s3 ... --merge -",
  emptyMerge: (source: string, kind: PolicyKind): string =>
    kind === "s3-bucket-policy"
      ? `note: ${source} is empty: no existing bucket policy (get-bucket-policy prints nothing ` +
        "then), so the output holds Nimble's statements only."
      : `note: ${source} is empty: no existing key policy, so the output holds Nimble's ` +
        "statement only; every KMS key has a key policy (aws kms get-key-policy prints it) and " +
        "AWS refuses one that locks the key's account out: check the key, or use --account ID.",
  kmsStatementOnly:
    "note: add this statement to the Statement list of the bucket's KMS key policy " +
    "(aws kms get-key-policy --key-id KEY --policy-name default --output text), or re-run " +
    "with --merge FILE or --account ID for a complete policy.",
  kmsCompletePolicy:
    "note: a complete key policy; the key's account keeps management but not deletion " +
    "(add kms:ScheduleKeyDeletion with a policy edit when you mean to delete the key).",
  emptyPrefix: (flag: string): string =>
    `warning: ${flag} is empty: the grant covers every object in the bucket.`,
  gcsUniformAccess: (bucket: string): string =>
    "warning: an IAM condition on a GCS bucket requires uniform bucket-level access on that " +
    `bucket (gcloud storage buckets update gs://${bucket} --uniform-bucket-level-access).`,
  gcsNoOverwrite:
    "warning: Storage Object Creator can create objects but not overwrite them (that needs " +
    "storage.objects.delete, which Nimble is never given): a fixed object name, such as a test " +
    "object, can be written once only.",
} as const;
