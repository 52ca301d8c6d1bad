import { toList } from "../../policy/types.js";
import type { Statement } from "../../policy/types.js";
import { statementLocation, statementName, statementsWithEffect } from "./statements.js";
import type { Check, RawFinding } from "./types.js";

/**
 * S3-NOTPRINCIPAL-WITHOUT-ACCOUNT: a Deny + NotPrincipal that lists a user or role without the
 * root of its account. AWS: "you must also include the account ARN of the not-denied principal",
 * otherwise the statement may deny the whole account, that principal included (case C15 B).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export const notPrincipalWithoutAccount: Check = {
  name: "notPrincipalWithoutAccount",
  run: (context) =>
    statementsWithEffect(context.bucketPolicy, "Deny").flatMap(({ statement, index }) =>
      principalsWithoutRoot(statement).map((arn): RawFinding => ({
        id: "S3-NOTPRINCIPAL-WITHOUT-ACCOUNT",
        message:
          `${statementName(context.bucketPolicy!, index)} lists ${arn} in NotPrincipal without ` +
          `arn:aws:iam::${accountOf(arn)}:root${arn === context.principal ? NIMBLES_USER : ""}`,
        location: statementLocation(context.bucketPolicy!, index, "NotPrincipal"),
      })),
    ),
};

const NIMBLES_USER = " (Nimble's user)";
const MEMBER_ARN = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):(?!root$).+/;

function principalsWithoutRoot(statement: Statement): string[] {
  const block = statement.NotPrincipal;
  if (block === undefined || block === "*") return [];

  const listed = toList(block.AWS);
  const accounts = new Set(listed.flatMap(rootAccount));
  return listed.filter((arn) => MEMBER_ARN.test(arn) && !accounts.has(accountOf(arn)));
}

function rootAccount(entry: string): string[] {
  if (/^\d{12}$/.test(entry)) return [entry];
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(entry);
  return match?.[1] ? [match[1]] : [];
}

function accountOf(arn: string): string {
  return MEMBER_ARN.exec(arn)?.[1] ?? "";
}
