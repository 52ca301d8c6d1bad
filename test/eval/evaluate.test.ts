/**
 * The evaluation rules, one documented behaviour per row. Expected decisions come from the IAM
 * documentation cited on each table, not from what the code returns.
 */
import { describe, expect, it } from "vitest";
import { evaluatePolicy } from "../../src/policy/eval/evaluate.js";
import type { Decision, EvalRequest } from "../../src/policy/eval/types.js";
import type { ConditionBlock, PolicyDocument, Statement } from "../../src/policy/types.js";

const USER = "arn:aws:iam::744254827463:user/crawlit-scrapy";
const BUCKET = "arn:aws:s3:::b";

function request(overrides: Partial<EvalRequest> = {}): EvalRequest {
  return { principal: USER, action: "s3:GetObject", resource: `${BUCKET}/input/x`, ...overrides };
}

function allow(extra: Partial<Statement> = {}): Statement {
  return {
    Effect: "Allow",
    Principal: { AWS: USER },
    Action: "s3:GetObject",
    Resource: "*",
    ...extra,
  };
}

function policy(...statements: Statement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

interface ConditionRow {
  name: string;
  condition: ConditionBlock;
  context?: Record<string, string | string[]>;
  decision: Decision;
}

/**
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
const conditionRows: ConditionRow[] = [
  {
    name: "StringEquals is case-sensitive",
    condition: { StringEquals: { "s3:prefix": "Input/" } },
    context: { "s3:prefix": "input/" },
    decision: "implicitly-denied",
  },
  {
    name: "StringEqualsIgnoreCase ignores case",
    condition: { StringEqualsIgnoreCase: { "s3:prefix": "Input/" } },
    context: { "s3:prefix": "input/" },
    decision: "allowed",
  },
  {
    name: "StringLike matches * across /",
    condition: { StringLike: { "s3:prefix": "in*" } },
    context: { "s3:prefix": "input/sub/" },
    decision: "allowed",
  },
  {
    name: "StringLike ? matches exactly one character",
    condition: { StringLike: { "s3:prefix": "in?ut/" } },
    context: { "s3:prefix": "inpput/" },
    decision: "implicitly-denied",
  },
  {
    name: "StringLike on a missing key is false",
    condition: { StringLike: { "s3:prefix": "*" } },
    decision: "implicitly-denied",
  },
  {
    name: "StringNotLike on a missing key is true",
    condition: { StringNotLike: { "s3:prefix": "x*" } },
    decision: "allowed",
  },
  {
    name: "several values of one key are ORed",
    condition: { StringEquals: { "s3:prefix": ["a/", "input/"] } },
    context: { "s3:prefix": "input/" },
    decision: "allowed",
  },
  {
    name: "a negated operator needs the value to match none of its values",
    condition: { StringNotEquals: { "s3:prefix": ["a/", "input/"] } },
    context: { "s3:prefix": "input/" },
    decision: "implicitly-denied",
  },
  {
    name: "a negated operator holds when no value matches",
    condition: { StringNotEquals: { "s3:prefix": ["a/", "b/"] } },
    context: { "s3:prefix": "input/" },
    decision: "allowed",
  },
  {
    name: "keys of one operator are ANDed",
    condition: { StringEquals: { "s3:prefix": "input/", "s3:delimiter": "/" } },
    context: { "s3:prefix": "input/" },
    decision: "implicitly-denied",
  },
  {
    name: "operators are ANDed",
    condition: {
      StringEquals: { "s3:prefix": "input/" },
      NumericLessThanEquals: { "s3:max-keys": "10" },
    },
    context: { "s3:prefix": "input/", "s3:max-keys": "1000" },
    decision: "implicitly-denied",
  },
  {
    name: "condition key names compare case-insensitively",
    condition: { StringEquals: { "AWS:SourceVPCE": "vpce-1" } },
    context: { "aws:sourceVpce": "vpce-1" },
    decision: "allowed",
  },
  {
    name: "NumericLessThan compares numbers, not strings",
    condition: { NumericLessThan: { "s3:max-keys": "10" } },
    context: { "s3:max-keys": "9" },
    decision: "allowed",
  },
  {
    name: "NumericGreaterThanEquals on equal values",
    condition: { NumericGreaterThanEquals: { "s3:max-keys": "10" } },
    context: { "s3:max-keys": "10" },
    decision: "allowed",
  },
  {
    name: "DateLessThan with an ISO date",
    condition: { DateLessThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" } },
    context: { "aws:CurrentTime": "2025-01-01T00:00:00Z" },
    decision: "allowed",
  },
  {
    name: "DateGreaterThan with epoch seconds",
    condition: { DateGreaterThan: { "aws:EpochTime": "1700000000" } },
    context: { "aws:EpochTime": "1600000000" },
    decision: "implicitly-denied",
  },
  {
    name: "Bool true",
    condition: { Bool: { "aws:SecureTransport": "true" } },
    context: { "aws:SecureTransport": "true" },
    decision: "allowed",
  },
  {
    name: "Bool false on a true key",
    condition: { Bool: { "aws:SecureTransport": "false" } },
    context: { "aws:SecureTransport": "true" },
    decision: "implicitly-denied",
  },
  {
    name: "BinaryEquals compares the base-64 text",
    condition: { BinaryEquals: { "k:bin": "QmluYXJ5" } },
    context: { "k:bin": "QmluYXJ5" },
    decision: "allowed",
  },
  {
    name: "IpAddress inside an IPv4 CIDR",
    condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
    context: { "aws:SourceIp": "203.0.113.9" },
    decision: "allowed",
  },
  {
    name: "IpAddress outside an IPv4 CIDR",
    condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
    context: { "aws:SourceIp": "203.0.114.9" },
    decision: "implicitly-denied",
  },
  {
    name: "IpAddress inside an IPv6 CIDR",
    condition: { IpAddress: { "aws:SourceIp": "2001:db8::/32" } },
    context: { "aws:SourceIp": "2001:db8:1::5" },
    decision: "allowed",
  },
  {
    name: "NotIpAddress outside the block",
    condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
    context: { "aws:SourceIp": "203.0.113.9" },
    decision: "allowed",
  },
  {
    name: "ArnLike wildcards within a segment",
    condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/crawlit-*" } },
    context: { "aws:PrincipalArn": USER },
    decision: "allowed",
  },
  {
    name: "ArnEquals needs every segment to match",
    condition: {
      ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::111122223333:user/crawlit-scrapy" },
    },
    context: { "aws:PrincipalArn": USER },
    decision: "implicitly-denied",
  },
  {
    name: "ArnNotLike on a missing key is true",
    condition: { ArnNotLike: { "aws:SourceArn": "arn:aws:s3:::x" } },
    decision: "allowed",
  },
  {
    name: "Null true on a missing key",
    condition: { Null: { "s3:x-amz-server-side-encryption": "true" } },
    decision: "allowed",
  },
  {
    name: "Null true on a present key",
    condition: { Null: { "s3:x-amz-server-side-encryption": "true" } },
    context: { "s3:x-amz-server-side-encryption": "AES256" },
    decision: "implicitly-denied",
  },
  {
    name: "Null false on a present key",
    condition: { Null: { "s3:x-amz-server-side-encryption": "false" } },
    context: { "s3:x-amz-server-side-encryption": "AES256" },
    decision: "allowed",
  },
  {
    name: "IfExists is true when the key is absent",
    condition: { StringEqualsIfExists: { "s3:x-amz-acl": "private" } },
    decision: "allowed",
  },
  {
    name: "IfExists still compares a present key",
    condition: { StringEqualsIfExists: { "s3:x-amz-acl": "private" } },
    context: { "s3:x-amz-acl": "public-read" },
    decision: "implicitly-denied",
  },
  {
    name: "ForAnyValue holds when one value matches",
    condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["team"] } },
    context: { "aws:TagKeys": ["cost", "team"] },
    decision: "allowed",
  },
  {
    name: "ForAnyValue on a missing key is false",
    condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["team"] } },
    decision: "implicitly-denied",
  },
  {
    name: "ForAnyValue with IfExists on a missing key is still false",
    condition: { "ForAnyValue:StringEqualsIfExists": { "aws:TagKeys": ["team"] } },
    decision: "implicitly-denied",
  },
  {
    name: "ForAllValues needs every value to match",
    condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "cost"] } },
    context: { "aws:TagKeys": ["team", "other"] },
    decision: "implicitly-denied",
  },
  {
    name: "ForAllValues on a missing key is true",
    condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] } },
    decision: "allowed",
  },
  {
    name: "ForAnyValue:StringNotEquals holds when one value matches none",
    condition: { "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["team"] } },
    context: { "aws:TagKeys": ["team", "cost"] },
    decision: "allowed",
  },
  {
    name: "ForAllValues:StringNotEquals fails when one value is listed",
    condition: { "ForAllValues:StringNotEquals": { "aws:TagKeys": ["team"] } },
    context: { "aws:TagKeys": ["team", "cost"] },
    decision: "implicitly-denied",
  },
];

describe("condition operators", () => {
  it.each(conditionRows)("$name", ({ condition, context, decision }) => {
    const evaluation = evaluatePolicy(
      policy(allow({ Condition: condition })),
      request({ context }),
    );

    expect(evaluation.decision).toBe(decision);
  });
});

interface MatchRow {
  name: string;
  statement: Partial<Statement>;
  request?: Partial<EvalRequest>;
  version?: string;
  decision: Decision;
}

/**
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
const matchRows: MatchRow[] = [
  {
    name: "actions match case-insensitively",
    statement: { Action: "S3:getobject" },
    decision: "allowed",
  },
  { name: "action wildcard s3:Get*", statement: { Action: "s3:Get*" }, decision: "allowed" },
  {
    name: "action wildcard ? is one character",
    statement: { Action: "s3:?etObjec" },
    decision: "implicitly-denied",
  },
  {
    name: "NotAction allows every other action",
    statement: { Action: undefined, NotAction: "s3:PutObject" },
    decision: "allowed",
  },
  {
    name: "NotAction excludes the listed action",
    statement: { Action: undefined, NotAction: "s3:Get*" },
    decision: "implicitly-denied",
  },
  {
    name: "resources match case-sensitively",
    statement: { Resource: "arn:aws:s3:::B/*" },
    decision: "implicitly-denied",
  },
  {
    name: "bucket/* does not match the bucket itself",
    statement: { Action: "s3:ListBucket", Resource: `${BUCKET}/*` },
    request: { action: "s3:ListBucket", resource: BUCKET },
    decision: "implicitly-denied",
  },
  {
    name: "a short ARN pattern with a wildcard covers the rest",
    statement: { Resource: "arn:aws:s3*" },
    decision: "allowed",
  },
  {
    name: "a short ARN pattern without a wildcard matches nothing",
    statement: { Resource: "arn:aws:s3" },
    decision: "implicitly-denied",
  },
  {
    name: "resource ? matches one character",
    statement: { Resource: `${BUCKET}/in?ut/*` },
    decision: "allowed",
  },
  {
    name: "NotResource matches every other resource",
    statement: { Resource: undefined, NotResource: `${BUCKET}/output/*` },
    decision: "allowed",
  },
  {
    name: "NotResource excludes the listed resource",
    statement: { Resource: undefined, NotResource: `${BUCKET}/input/*` },
    decision: "implicitly-denied",
  },
  {
    name: "${aws:username} fills in the caller's name",
    statement: { Resource: `${BUCKET}/\${aws:username}/*` },
    request: {
      resource: `${BUCKET}/crawlit-scrapy/x`,
      context: { "aws:username": "crawlit-scrapy" },
    },
    decision: "allowed",
  },
  {
    name: "a variable is literal text without Version 2012-10-17",
    statement: { Resource: `${BUCKET}/\${aws:username}/*` },
    request: {
      resource: `${BUCKET}/crawlit-scrapy/x`,
      context: { "aws:username": "crawlit-scrapy" },
    },
    version: "2008-10-17",
    decision: "implicitly-denied",
  },
  {
    name: "a variable with no value matches nothing",
    statement: { Resource: `${BUCKET}/\${aws:username}/*` },
    request: { resource: `${BUCKET}/crawlit-scrapy/x` },
    decision: "implicitly-denied",
  },
  {
    name: "a variable's default applies when the key is absent",
    statement: { Resource: `${BUCKET}/\${aws:username, 'shared'}/*` },
    request: { resource: `${BUCKET}/shared/x` },
    decision: "allowed",
  },
  {
    name: "${*} is a literal star, not a wildcard",
    statement: { Resource: `${BUCKET}/input/\${*}` },
    request: { resource: `${BUCKET}/input/x` },
    decision: "implicitly-denied",
  },
  {
    name: "${*} matches a literal star",
    statement: { Resource: `${BUCKET}/input/\${*}` },
    request: { resource: `${BUCKET}/input/*` },
    decision: "allowed",
  },
  { name: 'Principal "*" matches anyone', statement: { Principal: "*" }, decision: "allowed" },
  {
    name: 'Principal {"AWS": "*"} matches anyone',
    statement: { Principal: { AWS: "*" } },
    decision: "allowed",
  },
  {
    name: "an account id matches its users",
    statement: { Principal: { AWS: "744254827463" } },
    decision: "allowed",
  },
  {
    name: "an account root ARN matches its users",
    statement: { Principal: { AWS: "arn:aws:iam::744254827463:root" } },
    decision: "allowed",
  },
  {
    name: "another account's root does not match",
    statement: { Principal: { AWS: "arn:aws:iam::111122223333:root" } },
    decision: "implicitly-denied",
  },
  {
    name: "another user of the same account does not match",
    statement: { Principal: { AWS: "arn:aws:iam::744254827463:user/other" } },
    decision: "implicitly-denied",
  },
  {
    name: "a role ARN matches its sessions",
    statement: { Principal: { AWS: "arn:aws:iam::744254827463:role/R" } },
    request: { principal: "arn:aws:sts::744254827463:assumed-role/R/s1" },
    decision: "allowed",
  },
  {
    name: "a Service principal does not match a user",
    statement: { Principal: { Service: "s3.amazonaws.com" } },
    decision: "implicitly-denied",
  },
];

describe("Action, Resource, Principal and policy variables", () => {
  it.each(matchRows)("$name", ({ statement, request: overrides, version, decision }) => {
    const document = { ...policy(allow(statement)), ...(version ? { Version: version } : {}) };

    expect(evaluatePolicy(document, request(overrides)).decision).toBe(decision);
  });
});

const deny = (extra: Partial<Statement> = {}): Statement => ({ ...allow(extra), Effect: "Deny" });
const fromIp = { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } };
const unknownIp = request({ unknownKeys: ["aws:SourceIp"] });

/**
 * Three-valued decisions: an unknown key never becomes a guess.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 */
describe("explicit Deny, Allow and depends", () => {
  it("explicit Deny wins over Allow", () => {
    const evaluation = evaluatePolicy(policy(allow(), deny({ Sid: "NoReads" })), request());

    expect(evaluation).toEqual({
      decision: "explicitly-denied",
      dependsOn: [],
      statements: [{ index: 1, sid: "NoReads", path: "Statement[1]", effect: "Deny" }],
    });
  });

  it("an Allow that reads an unknown key depends on it", () => {
    const evaluation = evaluatePolicy(policy(allow({ Condition: fromIp })), unknownIp);

    expect(evaluation).toMatchObject({
      decision: "depends",
      dependsOn: ["aws:SourceIp"],
      statements: [{ index: 0, path: "Statement[0].Condition", effect: "Allow" }],
      possibleDecisions: ["allowed", "implicitly-denied"],
    });
  });

  it("another sure Allow makes an undecided Allow irrelevant", () => {
    const evaluation = evaluatePolicy(policy(allow({ Condition: fromIp }), allow()), unknownIp);

    expect(evaluation.decision).toBe("allowed");
    expect(evaluation.statements.map((s) => s.index)).toEqual([1]);
  });

  it("a Deny that reads an unknown key makes an allowed request depend on it", () => {
    const evaluation = evaluatePolicy(policy(allow(), deny({ Condition: fromIp })), unknownIp);

    expect(evaluation).toMatchObject({
      decision: "depends",
      dependsOn: ["aws:SourceIp"],
      possibleDecisions: ["explicitly-denied", "allowed"],
    });
  });

  it("a sure Deny decides even beside an undecided one", () => {
    const evaluation = evaluatePolicy(policy(deny({ Condition: fromIp }), deny()), unknownIp);

    expect(evaluation.decision).toBe("explicitly-denied");
  });

  it("an unknown wildcard key (aws:PrincipalTag/*) depends", () => {
    const condition = { StringEquals: { "aws:PrincipalTag/team": "data" } };
    const unknown = request({ unknownKeys: ["aws:PrincipalTag/*"] });

    expect(evaluatePolicy(policy(allow({ Condition: condition })), unknown).dependsOn).toEqual([
      "aws:PrincipalTag/team",
    ]);
  });

  it("a variable whose value is unknown makes the Resource depend on it", () => {
    const statement = allow({ Resource: `${BUCKET}/\${aws:userid}/*` });
    const unknown = request({ unknownKeys: ["aws:userid"] });

    expect(evaluatePolicy(policy(statement), unknown)).toMatchObject({
      decision: "depends",
      dependsOn: ["aws:userid"],
      statements: [{ path: "Statement[0]" }],
    });
  });

  it("an unknown condition operator cannot be evaluated, never a silent allow", () => {
    const condition = { StringEqualsAnything: { "s3:prefix": "x" } } as ConditionBlock;

    expect(evaluatePolicy(policy(allow({ Condition: condition })), request())).toMatchObject({
      decision: "depends",
      dependsOn: ["operator:StringEqualsAnything"],
    });
  });

  it("no matching statement is an implicit deny", () => {
    expect(evaluatePolicy(policy(allow({ Action: "s3:PutObject" })), request())).toEqual({
      decision: "implicitly-denied",
      dependsOn: [],
      statements: [],
    });
  });

  it("accepts a single Statement object and points at it", () => {
    const document = { Version: "2012-10-17", Statement: allow({ Sid: "One" }) };

    expect(evaluatePolicy(document as unknown as PolicyDocument, request()).statements).toEqual([
      { index: 0, sid: "One", path: "Statement", effect: "Allow" },
    ]);
  });

  it("NotPrincipal does not exempt a role session when only the role is listed", () => {
    // @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    const notPrincipal = {
      AWS: ["arn:aws:iam::744254827463:role/R", "arn:aws:iam::744254827463:root"],
    };
    const session = request({ principal: "arn:aws:sts::744254827463:assumed-role/R/s1" });

    expect(
      evaluatePolicy(
        policy(allow(), deny({ Principal: undefined, NotPrincipal: notPrincipal })),
        session,
      ).decision,
    ).toBe("explicitly-denied");
  });
});

describe("depends lists every undecided statement that matters", () => {
  it("an undecided Deny beside an undecided Allow depends on both keys", () => {
    const vpce = { StringNotEquals: { "aws:SourceVpce": "vpce-1" } };
    const org = { StringEquals: { "aws:PrincipalOrgID": "o-1" } };
    const unknown = request({ unknownKeys: ["aws:SourceVpce", "aws:PrincipalOrgID"] });
    const evaluation = evaluatePolicy(
      policy(deny({ Condition: vpce }), allow({ Condition: org })),
      unknown,
    );

    expect(evaluation).toMatchObject({
      decision: "depends",
      dependsOn: ["aws:SourceVpce", "aws:PrincipalOrgID"],
      possibleDecisions: ["explicitly-denied", "allowed", "implicitly-denied"],
    });
    expect(evaluation.statements.map((s) => s.effect)).toEqual(["Deny", "Allow"]);
  });
});
