/**
 * Facts about a KMS key that the audit's checks, the live reader and the key-policy generator
 * must agree on: which keys are AWS managed and which default encryption uses KMS.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk
 */

/**
 * `alias/aws/` is reserved for AWS managed keys: a customer managed key's alias cannot begin
 * with it. Matches the alias name and the alias ARN (`arn:aws:kms:REGION:ACCOUNT:alias/aws/s3`).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html
 */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

/**
 * True when the key reference is an alias of an AWS managed key (any `alias/aws/...`, such as
 * `alias/aws/s3`), as a name or an alias ARN.
 * @param reference - a key id, key ARN, alias name or alias ARN
 * @returns whether it names an AWS managed key by its reserved alias
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html
 */
export function isAwsManagedAlias(reference: string | undefined): boolean {
  return reference !== undefined && AWS_MANAGED_ALIAS.test(reference);
}

/**
 * True when DescribeKey's KeyManager says AWS manages the key (`AWS`, compared without case;
 * the other value is `CUSTOMER`).
 * @param keyManager - KeyMetadata.KeyManager
 * @returns whether the key is AWS managed
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html
 */
export function isAwsKeyManager(keyManager: string | undefined): boolean {
  return keyManager?.toUpperCase() === "AWS";
}

/**
 * True when a default-encryption algorithm uses a KMS key: `aws:kms` (SSE-KMS) or
 * `aws:kms:dsse` (DSSE-KMS), compared without case; `AES256` (SSE-S3) is not.
 * @param algorithm - ServerSideEncryptionByDefault.SSEAlgorithm
 * @returns whether objects are encrypted under a KMS key
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html
 */
export function isSseKms(algorithm: string | undefined): boolean {
  return algorithm?.toLowerCase().startsWith("aws:kms") === true;
}
