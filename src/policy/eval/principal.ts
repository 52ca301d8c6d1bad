/**
 * Principal and NotPrincipal matching for resource-based policies.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
import { toList, type PrincipalBlock } from "../types.js";

/**
 * The identities a request carries, from the account down: AWS "might validate the account first,
 * then the user"; for a role session "the account, then the role, then the assumed-role user".
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export interface PrincipalInfo {
  /** the caller as given, e.g. arn:aws:iam::744254827463:user/crawlit-scrapy */
  arn: string;
  /** 12-digit account, when the caller is an AWS account principal */
  account?: string;
  /** for a role session: the role's ARN */
  role?: string;
  /** for a service principal such as s3.amazonaws.com */
  service?: string;
  /** every identity in the chain, as ARNs (account as its root ARN) */
  chain: string[];
}

const infos = new Map<string, PrincipalInfo>();

/** Parses the caller once (cached by string). */
export function principalInfo(principal: string): PrincipalInfo {
  let info = infos.get(principal);
  if (!info) {
    if (infos.size > 10_000) infos.clear();
    info = parsePrincipal(principal);
    infos.set(principal, info);
  }
  return info;
}

function parsePrincipal(principal: string): PrincipalInfo {
  if (/^\d{12}$/.test(principal)) {
    const root = `arn:aws:iam::${principal}:root`;
    return { arn: root, account: principal, chain: [root] };
  }
  const arn = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/.exec(principal);
  if (!arn) return { arn: principal, service: principal, chain: [principal] };

  const [, partition = "aws", , account = "", rest = ""] = arn;
  const root = `arn:${partition}:iam::${account}:root`;
  const session = /^assumed-role\/([^/]+)\/.+$/.exec(rest);
  if (!session) return { arn: principal, account, chain: unique([root, principal]) };
  const role = `arn:${partition}:iam::${account}:role/${session[1] ?? ""}`;
  return { arn: principal, account, role, chain: [root, role, principal] };
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** A compiled Principal / NotPrincipal block. */
export interface PrincipalSet {
  any: boolean;
  accounts: string[];
  arns: string[];
  services: string[];
}

/**
 * Compiles a Principal block: `"*"`, `{"AWS": "*"}`, account ids, account root ARNs, user, role
 * and session ARNs, `{"Service": ...}`. Other keys (Federated, CanonicalUser) name no IAM caller.
 */
export function compilePrincipals(block: PrincipalBlock): PrincipalSet {
  const set: PrincipalSet = { any: false, accounts: [], arns: [], services: [] };
  if (block === "*") return { ...set, any: true };
  for (const [kind, values] of Object.entries(block)) {
    for (const value of toList(values)) addPrincipal(set, kind, value);
  }
  return set;
}

function addPrincipal(set: PrincipalSet, kind: string, value: string): void {
  if (kind === "Service") {
    set.services.push(value);
    return;
  }
  if (kind !== "AWS") return;
  if (value === "*") set.any = true;
  else if (/^\d{12}$/.test(value)) set.accounts.push(value);
  else {
    const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(value);
    if (root?.[1]) set.accounts.push(root[1]);
    else set.arns.push(value);
  }
}

/**
 * Principal: true when the block names the caller, its account (the account root stands for
 * every principal in the account, subject to that account's own IAM policies), or, for a role
 * session, its role.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 */
export function principalMatches(set: PrincipalSet, info: PrincipalInfo): boolean {
  if (set.any) return true;
  if (info.service !== undefined) return set.services.includes(info.service);

  return (
    (info.account !== undefined && set.accounts.includes(info.account)) ||
    set.arns.includes(info.arn) ||
    (info.role !== undefined && set.arns.includes(info.role))
  );
}

/**
 * NotPrincipal: the statement applies unless every identity in the caller's chain is listed,
 * because AWS may check the account, then the user (or role, then session) in turn. So a Deny
 * whose NotPrincipal lists a user but not the user's account still denies that user.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function notPrincipalApplies(set: PrincipalSet, info: PrincipalInfo): boolean {
  if (set.any) return false;
  if (info.service !== undefined) return !set.services.includes(info.service);

  return !info.chain.every((identity) => isListed(set, identity));
}

function isListed(set: PrincipalSet, identity: string): boolean {
  const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(identity);
  return root?.[1] ? set.accounts.includes(root[1]) : set.arns.includes(identity);
}
