import { NimbleError, inputError } from "../../errors.js";
import type { Use } from "../../nimble.js";
import { SIDS, defaultPrincipal } from "../../nimble.js";
import { assertNoDeleteRights } from "../guard.js";
import { isAwsKeyManager, isAwsManagedAlias } from "../kms-key.js";
import { checkAwsPrincipal, printable } from "../names.js";
import type { PolicyDocument, Statement } from "../types.js";
import { POLICY_VERSION } from "../types.js";

/**
 * Key-policy statements for a customer managed KMS key that encrypts the bucket (SSE-KMS).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 */

/** Who manages the key: only a customer managed key's policy can be edited. */
export type KmsKeyManager = "CUSTOMER" | "AWS";

/** Options of the KMS key-policy generator. */
export interface KmsPolicyOptions {
  /** Jobs (read input, write output) or Async API delivery */
  use: Use;
  /** The principal ARN. @default defaultPrincipal(use) */
  principal?: string;
  /** Adds `kms:ViaService = s3.REGION.amazonaws.com`, so the key is usable only through S3 */
  region?: string;
  /** The bucket's key (ARN, alias ARN, `alias/NAME` or key id), to refuse AWS managed keys */
  key?: string;
  /** The key's KeyManager, as DescribeKey reports it. @default "CUSTOMER" */
  keyManager?: KmsKeyManager;
}

/** Sid of the Jobs statement (Nimble documents none; see issue 2). */
export const KMS_JOBS_SID = "NimbleJobsKMSAccess";

/** Sid of the owner statement in a complete key policy. */
export const KMS_OWNER_SID = "KeyOwnerAccount";

/** The documented delivery actions. */
const DELIVERY_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
];

/**
 * Jobs: GenerateDataKey to write an SSE-KMS object, Decrypt to read one and to upload parts.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
 */
const JOBS_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

/**
 * What the key's own account keeps: managing the policy (PutKeyPolicy, which AWS's lockout
 * safety check requires), reading the key, using it, and undoing a scheduled deletion. Nothing
 * that deletes or disables: scheduling deletion needs a policy edit first, on purpose.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
const OWNER_ACTIONS = [
  "kms:PutKeyPolicy",
  "kms:GetKeyPolicy",
  "kms:ListKeyPolicies",
  "kms:DescribeKey",
  "kms:ListAliases",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyRotationStatus",
  "kms:ListResourceTags",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:CreateGrant",
  "kms:ListGrants",
  "kms:RevokeGrant",
  "kms:CancelKeyDeletion",
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
];

/** Every Sid the KMS generator may emit for a use (a merge replaces them). */
export function kmsOwnedSids(use: Use): string[] {
  return [use === "jobs" ? KMS_JOBS_SID : SIDS.kms];
}

/**
 * Nimble's key-policy statement for a use, checked by the never-delete guard.
 * @param options - use, principal, region, and the key to check
 * @returns one statement, Resource `*` as key policies require
 * @throws NimbleError E_USAGE for an AWS managed key (its policy cannot be edited)
 * @throws NimbleError E_INPUT naming the flag for a bad principal or region
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function kmsKeyStatements(options: KmsPolicyOptions): Statement[] {
  assertCustomerManaged(options);
  const principal = checkAwsPrincipal(options.principal ?? defaultPrincipal(options.use));
  const statement: Statement = {
    Sid: options.use === "jobs" ? KMS_JOBS_SID : SIDS.kms,
    Effect: "Allow",
    Principal: { AWS: principal },
    Action: options.use === "jobs" ? [...JOBS_ACTIONS] : [...DELIVERY_ACTIONS],
    Resource: "*",
  };
  if (options.region !== undefined) {
    const service = `s3.${checkRegion(options.region)}.amazonaws.com`;
    statement.Condition = { StringEquals: { "kms:ViaService": service } };
  }

  return [...assertNoDeleteRights([statement])];
}

/**
 * A complete key policy: the owner account's statement and Nimble's statement.
 * @param options - as for {@link kmsKeyStatements}, plus the key's account id
 * @returns a key policy document
 * @throws NimbleError E_INPUT when the account id is not 12 digits
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
 */
export function kmsKeyPolicy(options: KmsPolicyOptions & { account: string }): PolicyDocument {
  const root = `arn:aws:iam::${checkAccount(options.account)}:root`;
  const owner: Statement = {
    Sid: KMS_OWNER_SID,
    Effect: "Allow",
    Principal: { AWS: root },
    Action: [...OWNER_ACTIONS],
    Resource: "*",
  };
  const checked = assertNoDeleteRights([owner], { owner: root });
  const statements = [...checked, ...kmsKeyStatements(options)];

  return { Version: POLICY_VERSION, Statement: statements };
}

/**
 * Checks a 12-digit AWS account id.
 * @param account - the id as typed
 * @param field - the flag to name
 * @returns the id
 */
export function checkAccount(account: string, field = "--account"): string {
  if (!/^\d{12}$/.test(account))
    throw inputError(field, `"${printable(account)}" is not a 12-digit AWS account id`);
  return account;
}

function checkRegion(region: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region))
    throw inputError("--region", `"${printable(region)}" is not an AWS region like us-east-1`);
  return region;
}

/**
 * AWS managed keys (alias/aws/s3) cannot be granted to another account and their policy cannot
 * be edited, so no statement could help: refuse with guidance instead.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk
 */
function assertCustomerManaged(options: KmsPolicyOptions): void {
  const key = options.key;
  if (key !== undefined && !isKeyReference(key))
    throw inputError(
      "--key",
      `"${printable(key)}" is not a KMS key id (UUID or mrk-...), key ARN, alias/NAME or alias ARN`,
    );
  const awsManager = isAwsKeyManager(options.keyManager);
  if (!awsManager && !isAwsManagedAlias(key)) return;

  const field = awsManager ? "--key-manager" : "--key";
  throw new NimbleError(
    "E_USAGE",
    `${field}: this is an AWS managed key (alias/aws/...): its key policy cannot be edited and ` +
      "it cannot be used by another account, so Nimble cannot read or write objects encrypted " +
      "with it. Use a customer managed key (then re-run) or SSE-S3 for the bucket.",
    field,
  );
}

/**
 * The forms AWS KMS accepts for a key: key id (a UUID, or `mrk-` and 32 hex digits for a
 * multi-Region key), key ARN, alias name (`alias/` then 1-256 letters, digits, `/`, `_`, `-`)
 * and alias ARN.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html
 */
const KEY_ID =
  "(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})";
const ALIAS_NAME = "alias/[A-Za-z0-9/_-]{1,250}";
const ARN_HEAD = "arn:aws(?:-[a-z]+)*:kms:[a-z]{2}(?:-[a-z]+)+-\\d{1,2}:\\d{12}:";
const KEY_ARN = new RegExp(`^${ARN_HEAD}key/${KEY_ID}$`);
const KEY_REFERENCE = new RegExp(
  `^(?:${KEY_ID}|${ALIAS_NAME}|${ARN_HEAD}(?:key/${KEY_ID}|${ALIAS_NAME}))$`,
);

/**
 * True for a full key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`), the form a key policy check
 * needs (an alias or a bare id does not say the key's region and account).
 * @param key - the `--key` value
 * @returns whether it is a key ARN
 */
export function isKmsKeyArn(key: string): boolean {
  return KEY_ARN.test(key);
}

function isKeyReference(key: string): boolean {
  return KEY_REFERENCE.test(key);
}
