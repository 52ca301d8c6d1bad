import { describe, expect, it } from "vitest";
import { isAwsKeyManager, isAwsManagedAlias, isSseKms } from "../../src/policy/kms-key.js";

/**
 * `alias/aws/` is reserved for AWS managed keys; a customer managed key's alias cannot begin with it.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html
 */
describe("isAwsManagedAlias", () => {
  it.each([
    { name: "the S3 alias name", reference: "alias/aws/s3", want: true },
    { name: "another service's alias name", reference: "alias/aws/dynamodb", want: true },
    {
      name: "the S3 alias ARN",
      reference: "arn:aws:kms:us-east-1:111122223333:alias/aws/s3",
      want: true,
    },
    {
      name: "another service's alias ARN",
      reference: "arn:aws:kms:us-east-1:111122223333:alias/aws/ebs",
      want: true,
    },
    { name: "a customer alias", reference: "alias/nimble-data", want: false },
    { name: "a customer alias that only contains aws", reference: "alias/my-aws/key", want: false },
    {
      name: "a customer alias ARN",
      reference: "arn:aws:kms:us-east-1:111122223333:alias/data",
      want: false,
    },
    { name: "a key id", reference: "1234abcd-12ab-34cd-56ef-1234567890ab", want: false },
    {
      name: "a key ARN",
      reference: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      want: false,
    },
    { name: "no key", reference: undefined, want: false },
  ])("$name: $want", ({ reference, want }) => {
    expect(isAwsManagedAlias(reference)).toBe(want);
  });
});

/** @see https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html (KeyManager: AWS | CUSTOMER) */
describe("isAwsKeyManager", () => {
  it.each([
    { name: "AWS", keyManager: "AWS", want: true },
    { name: "aws in another case", keyManager: "aws", want: true },
    { name: "CUSTOMER", keyManager: "CUSTOMER", want: false },
    { name: "unknown", keyManager: undefined, want: false },
  ])("$name: $want", ({ keyManager, want }) => {
    expect(isAwsKeyManager(keyManager)).toBe(want);
  });
});

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html */
describe("isSseKms", () => {
  it.each([
    { name: "SSE-KMS", algorithm: "aws:kms", want: true },
    { name: "DSSE-KMS", algorithm: "aws:kms:dsse", want: true },
    { name: "SSE-KMS in another case", algorithm: "AWS:KMS", want: true },
    { name: "SSE-S3", algorithm: "AES256", want: false },
    { name: "no default encryption", algorithm: undefined, want: false },
  ])("$name: $want", ({ algorithm, want }) => {
    expect(isSseKms(algorithm)).toBe(want);
  });
});
