import { inputError } from "../errors.js";
import { parseJsonText } from "../policy/json.js";
import { printable } from "../policy/names.js";
import type { DefaultEncryption, KeyMetadata } from "./checks/types.js";

/**
 * Parses the settings files of an offline audit, once, at the edge. Each accepts the AWS CLI's
 * output of the matching Get call, so `aws s3api get-bucket-encryption > enc.json` works as is.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
 */

/** The Object Ownership values S3 accepts. */
export const OWNERSHIP_VALUES = ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"];

/**
 * Reads default encryption from GetBucketEncryption output (`{ServerSideEncryptionConfiguration:
 * {Rules}}`), a bare `{Rules}` or a bare `ApplyServerSideEncryptionByDefault` object.
 * @param text - the file's contents
 * @param field - the flag to name in errors, e.g. --encryption
 * @returns the default encryption of the first rule
 * @throws NimbleError E_JSON or E_INPUT naming the field and JSON path
 */
export function parseEncryptionText(text: string, field: string): DefaultEncryption {
  const value = parseJsonText(text, field);
  const configuration = record(value, field).ServerSideEncryptionConfiguration ?? value;
  const rules = record(configuration, field).Rules;
  const rule = Array.isArray(rules) ? (rules[0] as unknown) : undefined;
  const sse =
    rule === undefined
      ? configuration
      : record(rule, `${field} Rules[0]`).ApplyServerSideEncryptionByDefault;
  const fields = record(sse, `${field} ApplyServerSideEncryptionByDefault`);

  return {
    SSEAlgorithm: optionalString(fields.SSEAlgorithm, `${field} SSEAlgorithm`),
    KMSMasterKeyID: optionalString(fields.KMSMasterKeyID, `${field} KMSMasterKeyID`),
  };
}

/**
 * Reads key metadata from DescribeKey output (`{KeyMetadata: {...}}`) or the bare object.
 * @param text - the file's contents
 * @param field - the flag to name in errors
 * @returns the metadata fields the checks read
 * @throws NimbleError E_JSON or E_INPUT naming the field
 */
export function parseKeyMetadataText(text: string, field: string): KeyMetadata {
  const value = record(parseJsonText(text, field), field);
  const metadata = record(value.KeyMetadata ?? value, `${field} KeyMetadata`);

  return {
    KeyId: optionalString(metadata.KeyId, `${field} KeyId`),
    Arn: optionalString(metadata.Arn, `${field} Arn`),
    KeyManager: optionalString(metadata.KeyManager, `${field} KeyManager`),
    Alias: optionalString(metadata.Alias, `${field} Alias`),
  };
}

/**
 * Checks an Object Ownership value.
 * @param value - as typed
 * @param field - the flag
 * @returns the value
 * @throws NimbleError E_INPUT naming the field
 */
export function checkOwnership(value: string, field = "--ownership"): string {
  if (!OWNERSHIP_VALUES.includes(value))
    throw inputError(field, `"${printable(value)}" is not one of ${OWNERSHIP_VALUES.join(", ")}`);
  return value;
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw inputError(field, "must be a JSON object");
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw inputError(field, "must be a string");
  return value;
}
