import type { Decision, Evaluation, StatementRef } from "../policy/eval/types.js";
import type { GcsResource } from "./cel.js";
import { evaluateCondition } from "./cel.js";
import type { GcsIamPolicy, GcsPolicyBinding } from "./policy.js";
import { roleGrants } from "./roles.js";

/**
 * Whether a bucket IAM policy grants one permission to one member on one resource. A binding
 * applies when its members include the caller, its role carries the permission and its condition
 * holds; each of the three can be unknown (a group or domain the caller may be in, a custom role,
 * a condition on request attributes), which makes the result `depends`. Bucket policies hold no
 * deny rules, so a permission is either granted or implicitly denied.
 * @see https://cloud.google.com/iam/docs/overview#cloud-iam-policy
 * @see https://cloud.google.com/storage/docs/access-control/iam
 */

/** Three-valued truth, as used while combining a binding's parts. */
type Tri = "yes" | "no" | "maybe";

/** One request to evaluate. */
export interface GcsPermissionRequest {
  /** The caller, e.g. serviceAccount:NAME@PROJECT.iam.gserviceaccount.com */
  member: string;
  /** e.g. storage.objects.create */
  permission: string;
  /** The bucket or object the permission is checked on */
  resource: GcsResource;
  /** Members known to hold the caller (group:... a test server resolves), if any */
  groups?: readonly string[];
}

interface BindingOutcome {
  truth: Tri;
  dependsOn: string[];
  ref: StatementRef;
}

/**
 * Whether the policy grants the permission: allowed when a binding surely applies, depends when
 * one may apply, implicitly denied otherwise (bucket policies have no deny rules).
 * @param policy - the bucket's IAM policy
 * @param request - member, permission and resource
 * @returns the decision and the bindings that made it
 * @see https://cloud.google.com/iam/docs/overview#cloud-iam-policy
 */
export function evaluatePermission(
  policy: GcsIamPolicy,
  request: GcsPermissionRequest,
): Evaluation {
  const outcomes = policy.bindings.map((binding, index) => bindingOutcome(binding, index, request));
  const granting = outcomes.filter((o) => o.truth === "yes");
  if (granting.length > 0) return result("allowed", [], granting);

  const maybe = outcomes.filter((o) => o.truth === "maybe");
  if (maybe.length === 0) return result("implicitly-denied", [], []);

  return result(
    "depends",
    maybe.flatMap((o) => o.dependsOn),
    maybe,
  );
}

function result(decision: Decision, dependsOn: string[], outcomes: BindingOutcome[]): Evaluation {
  return { decision, dependsOn: [...new Set(dependsOn)], statements: outcomes.map((o) => o.ref) };
}

function bindingOutcome(
  binding: GcsPolicyBinding,
  index: number,
  request: GcsPermissionRequest,
): BindingOutcome {
  const ref: StatementRef = {
    index,
    sid: binding.role,
    path: `bindings[${index}]`,
    effect: "Allow",
  };
  const member = memberTruth(binding.members, request);
  const role = roleTruth(binding.role, request.permission);
  const condition = conditionTruth(binding, request.resource);
  const parts = [member, role, condition];
  if (parts.some((p) => p.truth === "no")) return { truth: "no", dependsOn: [], ref };

  const dependsOn = parts.flatMap((p) => p.dependsOn);
  const truth = parts.every((p) => p.truth === "yes") ? "yes" : "maybe";
  const conditioned = binding.condition ? { ...ref, path: `${ref.path}.condition` } : ref;
  return {
    truth,
    dependsOn,
    ref: truth === "maybe" && condition.truth === "maybe" ? conditioned : ref,
  };
}

interface Part {
  truth: Tri;
  dependsOn: string[];
}

/**
 * Whether the caller is among the members. `allUsers` is everyone; `allAuthenticatedUsers` is
 * every signed-in Google identity (service accounts included); a group or a domain may or may not
 * contain the caller, which cannot be known from the bucket.
 * @param members - a binding's members
 * @param request - the caller (and the groups known to hold it)
 * @returns yes, no or maybe, with the memberships it depends on
 * @see https://cloud.google.com/iam/docs/principals-overview
 */
export function memberTruth(members: readonly string[], request: GcsPermissionRequest): Part {
  if (members.some((m) => matchesExactly(m, request))) return { truth: "yes", dependsOn: [] };

  const unknown = members.filter((m) => m.startsWith("group:") || m.startsWith("domain:"));
  if (unknown.length > 0) {
    return { truth: "maybe", dependsOn: unknown.map((m) => `membership in ${m}`) };
  }
  return { truth: "no", dependsOn: [] };
}

function matchesExactly(member: string, request: GcsPermissionRequest): boolean {
  if (member === "allUsers") return true;
  if (member === "allAuthenticatedUsers") return !request.member.startsWith("allUsers");
  if (member.toLowerCase() === request.member.toLowerCase()) return true;
  if (request.groups?.includes(member)) return true;
  return member.startsWith("domain:") && member.slice(7) === emailDomain(request.member);
}

function emailDomain(member: string): string {
  return member.slice(member.lastIndexOf("@") + 1).toLowerCase();
}

function roleTruth(role: string, permission: string): Part {
  const grants = roleGrants(role, permission);
  if (grants === undefined) return { truth: "maybe", dependsOn: [`permissions of ${role}`] };
  return { truth: grants ? "yes" : "no", dependsOn: [] };
}

function conditionTruth(binding: GcsPolicyBinding, resource: GcsResource): Part {
  if (!binding.condition) return { truth: "yes", dependsOn: [] };

  const outcome = evaluateCondition(binding.condition.expression, resource);
  if (outcome.value === "true") return { truth: "yes", dependsOn: [] };
  if (outcome.value === "false") return { truth: "no", dependsOn: [] };
  return { truth: "maybe", dependsOn: outcome.error ? [outcome.error] : outcome.dependsOn };
}
