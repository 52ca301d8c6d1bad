import { isAwsKeyManager, isAwsManagedAlias, isSseKms } from "../../policy/kms-key.js";
import { kmsMergeCommand, kmsSid } from "./fix-commands.js";
import { isAllowed } from "./statements.js";
import type { Check, CheckContext, RawFinding } from "./types.js";

/**
 * Checks on SSE-KMS default encryption and the key policy.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 */

/** True when default encryption is SSE-KMS (or DSSE-KMS). */
export function usesKms(context: CheckContext): boolean {
  return isSseKms(context.encryption?.SSEAlgorithm);
}

/**
 * True when the key is AWS managed (for S3, `aws/s3`): KeyManager AWS, an `alias/aws/...` alias,
 * or the fixed `auto-s3-*` policy id AWS gives that key's policy.
 */
export function isAwsManagedKey(context: CheckContext): boolean {
  const { keyMetadata, encryption, keyPolicy } = context;
  const keyId = encryption?.KMSMasterKeyID ?? "";
  return (
    isAwsKeyManager(keyMetadata?.KeyManager) ||
    isAwsManagedAlias(keyMetadata?.Alias) ||
    isAwsManagedAlias(keyId) ||
    keyPolicy?.document.Id?.startsWith("auto-s3") === true
  );
}

/** KMS-AWS-MANAGED-KEY: the bucket's data is under aws/s3, which no other account can use (C08). */
export const awsManagedKey: Check = {
  name: "awsManagedKey",
  run: (context) => {
    if (!isAwsManagedKey(context)) return [];

    const key = context.keyMetadata?.Arn ?? context.encryption?.KMSMasterKeyID ?? "aws/s3";
    return [
      {
        id: "KMS-AWS-MANAGED-KEY",
        message:
          `the bucket's SSE-KMS key ${key} is an AWS managed key (aws/s3 for S3): ` +
          "Nimble's account cannot use it",
        location: encryptionLocation(),
      },
    ];
  },
};

/** KMS-DEFAULT-KEY-NO-ID: SSE-KMS default encryption without KMSMasterKeyID (so aws/s3). */
export const defaultKeyNoId: Check = {
  name: "defaultKeyNoId",
  run: (context) =>
    usesKms(context) && !context.encryption?.KMSMasterKeyID
      ? [
          {
            id: "KMS-DEFAULT-KEY-NO-ID",
            message:
              `default encryption is ${context.encryption?.SSEAlgorithm} ` +
              "without KMSMasterKeyID, so S3 uses aws/s3",
            location: encryptionLocation(),
          },
        ]
      : [],
};

/** KMS-KEY-ID-NOT-ARN: KMSMasterKeyID is a key id or alias, resolved in the requester's account. */
export const keyIdNotArn: Check = {
  name: "keyIdNotArn",
  run: (context) => {
    const keyId = context.encryption?.KMSMasterKeyID;
    if (!usesKms(context) || !keyId || keyId.startsWith("arn:") || isAwsManagedKey(context))
      return [];

    return [
      {
        id: "KMS-KEY-ID-NOT-ARN",
        message:
          `KMSMasterKeyID "${keyId}" is not a full key ARN; ` +
          "for Nimble's requests S3 may resolve it in Nimble's account",
        location: encryptionLocation(),
      },
    ];
  },
};

/** KMS-MISSING-DECRYPT: the key policy refuses Nimble kms:Decrypt (C06). */
export const missingDecrypt: Check = {
  name: "missingDecrypt",
  run: (context) => missingKmsAction(context, "kms:Decrypt", "KMS-MISSING-DECRYPT"),
};

/** KMS-MISSING-GENERATE-DATA-KEY: the key policy refuses Nimble kms:GenerateDataKey. */
export const missingGenerateDataKey: Check = {
  name: "missingGenerateDataKey",
  run: (context) =>
    missingKmsAction(context, "kms:GenerateDataKey", "KMS-MISSING-GENERATE-DATA-KEY"),
};

/** KMS-KEY-POLICY-NOT-AUDITED: SSE-KMS with a customer key whose policy was not given. */
export const keyPolicyNotAudited: Check = {
  name: "keyPolicyNotAudited",
  run: (context) =>
    usesKms(context) &&
    !context.keyPolicy &&
    !isAwsManagedKey(context) &&
    context.encryption?.KMSMasterKeyID
      ? [
          {
            id: "KMS-KEY-POLICY-NOT-AUDITED",
            message:
              `the policy of key ${context.encryption.KMSMasterKeyID} was not audited; ` +
              "pass --key-policy FILE",
            location: encryptionLocation(),
          },
        ]
      : [],
};

function missingKmsAction(context: CheckContext, action: string, id: string): RawFinding[] {
  if (isAwsManagedKey(context) || !context.keyPolicy) return [];

  const wanted = action.toLowerCase();
  const refused = context.kmsOperations.filter(
    (op) =>
      op.request.action.toLowerCase() === wanted &&
      op.evaluation.decision !== "depends" &&
      !isAllowed(op.evaluation.decision),
  );
  return refused.slice(0, 1).map((op) => {
    const deny = op.evaluation.statements.find((s) => s.effect === "Deny");
    const deniedBy = deny ? ` (denied by ${deny.path})` : "";
    const command = deny
      ? ""
      : `; add it to Nimble's statement (Sid ${kmsSid(context.use)}): ${kmsMergeCommand(context)}`;
    return {
      id,
      message: `the key policy does not allow ${context.principal} ${action}${deniedBy}${command}`,
      fix: deny
        ? `Narrow the Deny ${deny.path} of the key policy, or exempt Nimble's principal from it.`
        : "Run the nimble-bucket policy kms ... --merge command above and apply the key policy.",
      location: deny
        ? {
            source: context.keyPolicy!.source,
            path: deny.path,
            statementIndex: deny.index,
            sid: deny.sid,
          }
        : { source: context.keyPolicy!.source, path: "Statement" },
    };
  });
}

function encryptionLocation(): RawFinding["location"] {
  return { source: "bucket encryption", path: "ApplyServerSideEncryptionByDefault" };
}
