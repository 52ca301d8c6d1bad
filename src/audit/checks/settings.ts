import type { Check } from "./types.js";

/**
 * Checks on bucket settings other than policies.
 */

/**
 * S3-OWNERSHIP-OBJECT-WRITER: objects Nimble writes would stay owned by Nimble's account.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 */
export const ownershipObjectWriter: Check = {
  name: "ownershipObjectWriter",
  run: (context) =>
    context.ownership === "ObjectWriter"
      ? [
          {
            id: "S3-OWNERSHIP-OBJECT-WRITER",
            message:
              "Object Ownership is ObjectWriter: the bucket owner may not be able to read objects Nimble writes",
            location: { source: "bucket ownership controls", path: "Rules[0].ObjectOwnership" },
          },
        ]
      : [],
};

/**
 * S3-OBJECT-LOCK: Object Lock is enabled, so uploads need Content-MD5 or a checksum header.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */
export const objectLock: Check = {
  name: "objectLock",
  run: (context) =>
    context.objectLockEnabled === true
      ? [
          {
            id: "S3-OBJECT-LOCK",
            message:
              "Object Lock is enabled: Nimble's uploads need Content-MD5 or x-amz-sdk-checksum-algorithm",
            location: { source: "object lock configuration", path: "ObjectLockEnabled" },
          },
        ]
      : [],
};

/**
 * S3-REQUESTER-PAYS: requests without x-amz-request-payer are refused.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html
 */
export const requesterPays: Check = {
  name: "requesterPays",
  run: (context) =>
    context.requesterPays === true
      ? [
          {
            id: "S3-REQUESTER-PAYS",
            message:
              "Requester Pays is enabled: Nimble's requests are refused unless they send x-amz-request-payer",
            location: { source: "request payment configuration", path: "Payer" },
          },
        ]
      : [],
};
