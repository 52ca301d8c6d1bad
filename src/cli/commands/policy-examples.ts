/**
 * The `policy` commands' help examples, as data: each shows as one line with a shell comment,
 * short enough for an 80-column terminal, so it can be copied whole (yargs wraps two-column
 * examples, and a wrapped command fails when pasted). A test runs each one as written.
 */

/** One example: the command (`$0` is the program name) and what it does. */
export type PolicyExample = readonly [command: string, what: string];

/** Widest example line: 80 columns less yargs' two-space indent. */
export const EXAMPLE_WIDTH = 78;

/** Examples of `policy s3`. */
export const S3_EXAMPLES: readonly PolicyExample[] = [
  ["$0 policy s3 --bucket example-bucket", "Jobs: input/ and output/"],
  ["$0 policy s3 --for delivery --bucket example-bucket", "delivery"],
  ["$0 policy s3 --bucket example-bucket --format terraform", "HCL"],
  ["$0 policy s3 --bucket example-bucket --merge policy.json", "merge"],
];

/** Examples of `policy kms`. */
export const KMS_EXAMPLES: readonly PolicyExample[] = [
  ["$0 policy kms --for delivery", "the NimbleKMSAccess statement alone"],
  ["$0 policy kms --for jobs --account 111122223333", "whole key policy"],
  ["$0 policy kms --for jobs --region us-east-1", "only through S3"],
  ["$0 policy kms --for delivery --merge key-policy.json", "merge"],
];

/** Examples of `policy gcs`. */
export const GCS_EXAMPLES: readonly PolicyExample[] = [
  ["$0 policy gcs --bucket example-bucket", "IAM binding as JSON"],
  ["$0 policy gcs --bucket example-bucket --format gcloud", "gcloud"],
  ["$0 policy gcs --bucket example-bucket --prefix out/", "conditional"],
];

/** Examples of `policy` itself. */
export const POLICY_EXAMPLES: readonly PolicyExample[] = [
  ["$0 policy s3 --bucket example-bucket", "Jobs bucket policy as JSON"],
];

/**
 * The line yargs shows for an example.
 * @param example - command and comment
 * @returns `COMMAND  # WHAT`
 */
export function exampleLine([command, what]: PolicyExample): string {
  return `${command}  # ${what}`;
}
