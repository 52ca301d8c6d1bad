import { isRecord } from "../edge.js";
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
 * {Rules: [...]}}`) or its bare `{Rules: [...]}`. Anything else is refused: `Rules[0]
 * .ApplyServerSideEncryptionByDefault.SSEAlgorithm` is required by the API, so a file without it
 * is not encryption output.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html
 * @param text - the file's contents
 * @param field - the file to name in errors (the CLI puts the flag in front)
 * @returns the default encryption of the first rule
 * @throws NimbleError E_JSON or E_INPUT naming the field and JSON path
 */
export function parseEncryptionText(text: string, field: string): DefaultEncryption {
  const value = record(parseJsonText(text, field), field);
  const wrapped = value.ServerSideEncryptionConfiguration !== undefined;
  const base = wrapped ? "ServerSideEncryptionConfiguration." : "";
  const configuration = wrapped
    ? record(value.ServerSideEncryptionConfiguration, `${field}: ServerSideEncryptionConfiguration`)
    : value;
  const rules = configuration.Rules;
  if (!Array.isArray(rules) || rules.length === 0)
    throw inputError(`${field}: ${base}Rules`, ENCRYPTION_SHAPE);
  const rulePath = `${field}: ${base}Rules[0].ApplyServerSideEncryptionByDefault`;
  const sse = record(
    record(rules[0], `${field}: ${base}Rules[0]`).ApplyServerSideEncryptionByDefault,
    rulePath,
  );

  return {
    SSEAlgorithm: requiredString(sse.SSEAlgorithm, `${rulePath}.SSEAlgorithm`),
    KMSMasterKeyID: optionalString(sse.KMSMasterKeyID, `${rulePath}.KMSMasterKeyID`),
  };
}

const ENCRYPTION_SHAPE =
  "missing: expected GetBucketEncryption output " +
  "{ServerSideEncryptionConfiguration: {Rules: [...]}} or {Rules: [...]}";

/**
 * Reads key metadata from DescribeKey output (`{KeyMetadata: {...}}`) or the bare object.
 * `KeyId` is required by the API, so a file without it is not DescribeKey output.
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html
 * @param text - the file's contents
 * @param field - the file to name in errors (the CLI puts the flag in front)
 * @returns the metadata fields the checks read
 * @throws NimbleError E_JSON or E_INPUT naming the field and JSON path
 */
export function parseKeyMetadataText(text: string, field: string): KeyMetadata {
  const value = record(parseJsonText(text, field), field);
  const wrapped = value.KeyMetadata !== undefined;
  const base = wrapped ? `${field}: KeyMetadata.` : `${field}: `;
  const metadata = wrapped ? record(value.KeyMetadata, `${field}: KeyMetadata`) : value;
  if (metadata.KeyId === undefined)
    throw inputError(`${base}KeyId`, "missing: expected DescribeKey output {KeyMetadata: {KeyId}}");

  return {
    KeyId: requiredString(metadata.KeyId, `${base}KeyId`),
    Arn: optionalString(metadata.Arn, `${base}Arn`),
    KeyManager: optionalString(metadata.KeyManager, `${base}KeyManager`),
    Alias: optionalString(metadata.Alias, `${base}Alias`),
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
  if (!isRecord(value)) throw inputError(field, "must be a JSON object");
  return value;
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") throw inputError(field, "must be a string");
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw inputError(field, "must be a string");
  return value;
}
