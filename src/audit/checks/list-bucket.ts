import { matchesWildcard } from "../../policy/wildcard.js";
import { toList } from "../../policy/types.js";
import type { Statement } from "../../policy/types.js";
import {
  conditionKeys,
  isAllowed,
  nimbleLikeRequest,
  statementDecision,
  statementLocation,
  statementName,
  statementsWithEffect,
} from "./statements.js";
import type { Check, CheckContext } from "./types.js";

/**
 * Checks on how s3:ListBucket is granted.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 */

const PREFIX_KEYS = new Set(["s3:prefix", "s3:delimiter", "s3:max-keys"]);

/** S3-LIST-ON-OBJECT-ARN: ListBucket named for Nimble but on object ARNs only (C01). */
export const listOnObjectArn: Check = {
  name: "listOnObjectArn",
  run: (context) =>
    statementsWithEffect(context.bucketPolicy, "Allow")
      .filter(({ statement }) => namesListBucket(statement))
      .filter(({ statement }) => isDeadListGrant(context, statement))
      .map(({ index }) => {
        const policy = context.bucketPolicy!;
        return {
          id: "S3-LIST-ON-OBJECT-ARN",
          message:
            `${statementName(policy, index)} grants s3:ListBucket only on object ARNs, where it ` +
            `never applies; grant it on ${context.bucketArn}`,
          location: statementLocation(policy, index, "Resource"),
        };
      }),
};

/** S3-LIST-PREFIX-CONDITION: ListBucket for Nimble limited by s3:prefix/delimiter (C02). */
export const listPrefixCondition: Check = {
  name: "listPrefixCondition",
  run: (context) => {
    if (headBucketAllowed(context)) return [];

    return statementsWithEffect(context.bucketPolicy, "Allow")
      .filter(({ statement }) => conditionKeys(statement).some((key) => PREFIX_KEYS.has(key)))
      .filter(({ statement }) => isAimedAtBucketList(context, statement))
      .map(({ statement, index }) => {
        const policy = context.bucketPolicy!;
        const keys = conditionKeys(statement).filter((key) => PREFIX_KEYS.has(key));
        return {
          id: "S3-LIST-PREFIX-CONDITION",
          message:
            `${statementName(policy, index)} allows s3:ListBucket only when the request carries ` +
            `${keys.join(" and ")}; HeadBucket (and any list without them) is denied`,
          location: statementLocation(policy, index, "Condition"),
        };
      });
  },
};

function namesListBucket(statement: Statement): boolean {
  return toList(statement.Action).some(
    (pattern) => pattern !== "*" && matchesWildcard(pattern, "s3:ListBucket", true),
  );
}

function isDeadListGrant(context: CheckContext, statement: Statement): boolean {
  const onBucket = nimbleLikeRequest(context, "s3:ListBucket", context.bucketArn);
  const onObjects = { ...onBucket, resource: `${context.bucketArn}/nimble-audit` };
  return (
    !isAllowed(statementDecision(context, statement, onBucket, true)) &&
    isAllowed(statementDecision(context, statement, onObjects, true))
  );
}

function isAimedAtBucketList(context: CheckContext, statement: Statement): boolean {
  const request = nimbleLikeRequest(context, "s3:ListBucket", context.bucketArn);
  return isAllowed(statementDecision(context, statement, request, true));
}

function headBucketAllowed(context: CheckContext): boolean {
  const head = context.operations.find((op) => op.operation.startsWith("HeadBucket"));
  return head === undefined || isAllowed(head.evaluation.decision);
}
