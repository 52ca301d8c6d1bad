import type { Use } from "../../nimble.js";
import { render } from "../../report/templates.js";
import type { GcsBinding } from "../guard.js";
import type { PolicyDocument } from "../types.js";

/**
 * Renders generated grants as JSON or as the infrastructure-as-code and CLI formats customers
 * apply them with. Values are escaped here for their target language; the templates in
 * `templates/policy-*.hbs` only lay them out.
 */

/** Output formats of `policy s3`. */
export type S3Format = "json" | "terraform" | "cloudformation" | "aws-cli";
export const S3_FORMATS: readonly S3Format[] = ["json", "terraform", "cloudformation", "aws-cli"];

/** Output formats of `policy gcs`. */
export type GcsFormat = "json" | "gcloud" | "terraform";
export const GCS_FORMATS: readonly GcsFormat[] = ["json", "gcloud", "terraform"];

/** Pretty JSON with a final newline, as every JSON output of the CLI. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Renders a bucket policy.
 * @param policy - the document
 * @param format - the output format
 * @param context - the bucket it is for, the use, and whether the policy came from a merge (the
 *   header comment says whether the bucket's other statements are already in it)
 * @returns the text to print or write
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucketpolicy.html
 * @see https://docs.aws.amazon.com/cli/latest/reference/s3api/put-bucket-policy.html
 */
export async function renderS3Policy(
  policy: PolicyDocument,
  format: S3Format,
  context: { bucket: string; use: Use; merged?: boolean },
): Promise<string> {
  if (format === "json") return jsonText(policy);

  const pretty = JSON.stringify(policy, null, 2);
  return render(`policy-s3.${format}`, {
    use: context.use,
    merged: context.merged === true,
    bucket: context.bucket,
    bucketHcl: hclString(context.bucket),
    bucketYaml: JSON.stringify(context.bucket),
    bucketShell: shellQuote(context.bucket),
    policyHeredoc: hclHeredocBody(pretty, "    "),
    policyYaml: indentAfterFirst(pretty, "        "),
    policyShell: shellQuote(JSON.stringify(policy)),
  });
}

/**
 * Renders GCS bindings.
 * @param bindings - generated bindings
 * @param format - the output format
 * @param bucket - the bucket they are for
 * @returns the text to print or write
 * @see https://cloud.google.com/sdk/gcloud/reference/storage/buckets/add-iam-policy-binding
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket_iam
 */
export async function renderGcsBindings(
  bindings: readonly GcsBinding[],
  format: GcsFormat,
  bucket: string,
): Promise<string> {
  if (format === "json") return jsonText(gcsPolicyFragment(bindings));

  const grants = bindings.flatMap((binding) =>
    binding.members.map((member) => ({ binding, member })),
  );
  return render(`policy-gcs.${format}`, {
    bucket,
    grants: grants.map(({ binding, member }, index) =>
      gcsGrantData(bucket, binding, member, index),
    ),
  });
}

function gcsGrantData(bucket: string, binding: GcsBinding, member: string, index: number): object {
  const condition = binding.condition;
  return {
    name: index === 0 ? "nimble" : `nimble_${index}`,
    bucketUrl: shellQuote(`gs://${bucket}`),
    bucketHcl: hclString(bucket),
    roleShell: shellQuote(binding.role),
    roleHcl: hclString(binding.role),
    memberShell: shellQuote(member),
    memberHcl: hclString(member),
    condition: condition
      ? {
          file: JSON.stringify(condition, null, 2),
          titleHcl: hclString(condition.title),
          descriptionHcl: hclString(condition.description ?? ""),
          expressionHcl: hclString(condition.expression),
        }
      : null,
  };
}

/**
 * The bindings as an IAM policy fragment. Conditional bindings need policy version 3.
 * @see https://cloud.google.com/iam/docs/policies#versions
 */
export function gcsPolicyFragment(bindings: readonly GcsBinding[]): {
  version?: number;
  bindings: GcsBinding[];
} {
  const conditional = bindings.some((binding) => binding.condition !== undefined);
  return conditional ? { version: 3, bindings: [...bindings] } : { bindings: [...bindings] };
}

/**
 * A Terraform (HCL) quoted string: `\` and `"` escaped, `${` and `%{` doubled so they stay
 * literal.
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings
 */
export function hclString(value: string): string {
  const escaped = value
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return `"${hclTemplateLiteral(escaped)}"`;
}

function hclTemplateLiteral(text: string): string {
  return text.replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
}

function hclHeredocBody(text: string, indent: string): string {
  return hclTemplateLiteral(text)
    .split("\n")
    .map((line) => indent + line)
    .join("\n");
}

function indentAfterFirst(text: string, indent: string): string {
  return text.replace(/\n/g, `\n${indent}`);
}

/**
 * A POSIX shell single-quoted word.
 * @see https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_02_02
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
