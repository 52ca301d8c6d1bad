import { toList } from "../../policy/types.js";
import type { Statement } from "../../policy/types.js";
import type { SourcedPolicy } from "./types.js";
import {
  conditionKeys,
  isAllowed,
  nimbleLikeRequest,
  objectArn,
  statementDecision,
  statementLocation,
  statementName,
  statementsWithEffect,
} from "./statements.js";
import type { Check, CheckContext, RawFinding } from "./types.js";

/**
 * Checks for grants wider than Nimble needs.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
 */

const DELETE_ACTIONS = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:DeleteBucket"];
const OUTSIDE_KEY = "nimble-audit-outside-prefix";

/** S3-DELETE-GRANTED: a statement lets Nimble delete objects or the bucket. */
export const deleteGranted: Check = {
  name: "deleteGranted",
  run: (context) =>
    statementsWithEffect(context.bucketPolicy, "Allow").flatMap(({ statement, index }) => {
      const granted = DELETE_ACTIONS.filter((action) => grantsNimble(context, statement, action));
      if (granted.length === 0) return [];

      return [
        finding(context, "S3-DELETE-GRANTED", index, "Action", `lets Nimble ${granted.join(", ")}`),
      ];
    }),
};

/** S3-STAR-ACTION: a statement aimed at Nimble grants `s3:*` or `*` (or uses NotAction). */
export const starAction: Check = {
  name: "starAction",
  run: (context) =>
    statementsWithEffect(context.bucketPolicy, "Allow")
      .filter(({ statement }) => hasEveryAction(statement))
      .filter(({ statement }) => grantsNimble(context, statement, "s3:GetObject"))
      .map(({ index }) =>
        finding(context, "S3-STAR-ACTION", index, "Action", "grants Nimble every S3 action"),
      ),
};

/**
 * POLICY-PUBLIC-PRINCIPAL: an Allow to Principal `*`, or an Allow with NotPrincipal (which grants
 * every principal not listed, anonymous users included), with no condition that limits the caller.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export const publicPrincipal: Check = {
  name: "publicPrincipal",
  run: (context) =>
    [context.bucketPolicy, context.keyPolicy].flatMap((policy) =>
      statementsWithEffect(policy, "Allow")
        .filter(({ statement }) => isPublic(statement) && !hasLimitingCondition(statement))
        .map(({ statement, index }): RawFinding => publicFinding(policy!, statement, index)),
    ),
};

function publicFinding(policy: SourcedPolicy, statement: Statement, index: number): RawFinding {
  const notPrincipal = statement.NotPrincipal !== undefined;
  const grant = notPrincipal
    ? "allows every principal not listed in NotPrincipal, anonymous users included,"
    : 'allows Principal "*"';
  return {
    id: "POLICY-PUBLIC-PRINCIPAL",
    message: `${statementName(policy, index)} ${grant} with no condition that limits the caller`,
    location: statementLocation(policy, index, notPrincipal ? "NotPrincipal" : "Principal"),
  };
}

/** S3-WRITE-OUTSIDE-OUTPUT: the whole policy lets Nimble put objects outside its prefix. */
export const writeOutsideOutput: Check = {
  name: "writeOutsideOutput",
  run: (context) => {
    const policy = context.bucketPolicy;
    if (!policy || context.outputPrefix === "") return [];

    const keys = outsideKeys(context);
    const allowed = keys.filter((key) => {
      const request = nimbleLikeRequest(context, "s3:PutObject", objectArn(context, key));
      return isAllowed(context.evaluate(policy.document, request).decision);
    });
    if (allowed.length === 0) return [];

    return [
      {
        id: "S3-WRITE-OUTSIDE-OUTPUT",
        message:
          `Nimble may s3:PutObject outside ${context.outputPrefix}, ` +
          `e.g. ${allowed.join(", ")}`,
        location: { source: policy.source, path: "Statement" },
        fix: `Limit s3:PutObject to ${objectArn(context, context.outputPrefix)}*.`,
      },
    ];
  },
};

/** S3-OBJECT-ACTIONS-WHOLE-BUCKET: a statement grants Nimble object actions on every key. */
export const objectActionsWholeBucket: Check = {
  name: "objectActionsWholeBucket",
  run: (context) => {
    if (context.use === "jobs" && context.inputPrefix === "" && context.outputPrefix === "")
      return [];
    if (context.use === "delivery" && context.outputPrefix === "") return [];

    return statementsWithEffect(context.bucketPolicy, "Allow")
      .map(({ statement, index }) => ({ index, actions: wholeBucketActions(context, statement) }))
      .filter(({ actions }) => actions.length > 0)
      .map(({ index, actions }) => ({
        ...finding(
          context,
          "S3-OBJECT-ACTIONS-WHOLE-BUCKET",
          index,
          "Resource",
          `grants Nimble ${actions.join(", ")} on every key, not only ${prefixesText(context)}`,
        ),
        fix: scopeFix(context),
      }));
  },
};

function prefixesText(context: CheckContext): string {
  return context.use === "delivery"
    ? `its prefix ${context.outputPrefix}`
    : `its prefixes ${context.inputPrefix} and ${context.outputPrefix}`;
}

/**
 * Where the Resource should point: delivery writes only under its storage_url prefix; Jobs read
 * the input prefix and read and write the output prefix (Nimble's Jobs template).
 */
function scopeFix(context: CheckContext): string {
  const arn = (prefix: string) => `${objectArn(context, prefix)}*`;
  if (context.use === "delivery")
    return `Scope the Resource to ${arn(context.outputPrefix)} (the storage_url prefix).`;
  return (
    `Scope the Resource to ${arn(context.inputPrefix)} (s3:GetObject) and ` +
    `${arn(context.outputPrefix)} (read and write).`
  );
}

function wholeBucketActions(context: CheckContext, statement: Statement): string[] {
  const resource = objectArn(context, OUTSIDE_KEY);
  return ["s3:GetObject", "s3:PutObject"].filter((action) =>
    isAllowed(
      statementDecision(context, statement, nimbleLikeRequest(context, action, resource), true),
    ),
  );
}

function outsideKeys(context: CheckContext): string[] {
  const keys = [OUTSIDE_KEY];
  if (context.use === "jobs" && context.inputPrefix !== "") {
    if (!context.inputPrefix.startsWith(context.outputPrefix))
      keys.unshift(`${context.inputPrefix}${OUTSIDE_KEY}`);
  }
  return keys.filter((key) => !key.startsWith(context.outputPrefix));
}

function grantsNimble(context: CheckContext, statement: Statement, action: string): boolean {
  const resource =
    action === "s3:DeleteBucket"
      ? context.bucketArn
      : objectArn(context, `${context.outputPrefix}x`);
  const request = nimbleLikeRequest(context, action, resource);
  return isAllowed(statementDecision(context, statement, request, true));
}

function hasEveryAction(statement: Statement): boolean {
  if (statement.NotAction !== undefined) return true;
  return toList(statement.Action).some(
    (action) => action === "*" || action.toLowerCase() === "s3:*",
  );
}

function isPublic(statement: Statement): boolean {
  if (statement.NotPrincipal !== undefined) return true;
  const principal = statement.Principal;
  if (principal === "*") return true;
  return principal !== undefined && toList(principal.AWS).includes("*");
}

/** Keys that bound who a `Principal: "*"` statement applies to. */
const LIMITING_KEYS = new Set([
  "aws:principalarn",
  "aws:principalaccount",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:sourcevpce",
  "aws:sourcevpc",
  "aws:sourceip",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:userid",
  "aws:username",
  "kms:calleraccount",
]);

function hasLimitingCondition(statement: Statement): boolean {
  return conditionKeys(statement).some((key) => LIMITING_KEYS.has(key));
}

function finding(
  context: CheckContext,
  id: string,
  index: number,
  element: string,
  what: string,
): RawFinding {
  const policy: SourcedPolicy = context.bucketPolicy!;
  return {
    id,
    message: `${statementName(policy, index)} ${what}`,
    location: statementLocation(policy, index, element),
  };
}
