import type { FindingLocation } from "../types.js";
import type { Check, CheckContext } from "./types.js";

/**
 * Checks on bucket settings other than policies: one row each, a setting that is on or off.
 */

interface SettingRule {
  name: string;
  id: string;
  /** True when the setting is the one that hurts Nimble */
  isSet: (context: CheckContext) => boolean;
  message: string;
  location: FindingLocation;
}

function settingCheck(rule: SettingRule): Check {
  const { id, message, location } = rule;
  return {
    name: rule.name,
    run: (context) => (rule.isSet(context) ? [{ id, message, location }] : []),
  };
}

/**
 * S3-OWNERSHIP-OBJECT-WRITER: objects Nimble writes would stay owned by Nimble's account.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 */
export const ownershipObjectWriter = settingCheck({
  name: "ownershipObjectWriter",
  id: "S3-OWNERSHIP-OBJECT-WRITER",
  isSet: (context) => context.ownership === "ObjectWriter",
  message:
    "Object Ownership is ObjectWriter: " +
    "the bucket owner may not be able to read objects Nimble writes",
  location: { source: "bucket ownership controls", path: "Rules[0].ObjectOwnership" },
});

/**
 * S3-OBJECT-LOCK: Object Lock is enabled, so uploads need Content-MD5 or a checksum header.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */
export const objectLock = settingCheck({
  name: "objectLock",
  id: "S3-OBJECT-LOCK",
  isSet: (context) => context.objectLockEnabled === true,
  message:
    "Object Lock is enabled: " +
    "Nimble's uploads need Content-MD5 or x-amz-sdk-checksum-algorithm",
  location: { source: "object lock configuration", path: "ObjectLockEnabled" },
});

/**
 * S3-REQUESTER-PAYS: requests without x-amz-request-payer are refused.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html
 */
export const requesterPays = settingCheck({
  name: "requesterPays",
  id: "S3-REQUESTER-PAYS",
  isSet: (context) => context.requesterPays === true,
  message:
    "Requester Pays is enabled: " +
    "Nimble's requests are refused unless they send x-amz-request-payer",
  location: { source: "request payment configuration", path: "Payer" },
});
