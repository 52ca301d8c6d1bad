import { isRecord } from "../edge.js";
import { inputError } from "../errors.js";

/**
 * A bucket's IAM policy and metadata, parsed once from `unknown` JSON: the output of
 * `gcloud storage buckets get-iam-policy --format=json` (policy version 1 or 3) or the JSON API's
 * getIamPolicy, and bucket metadata in the JSON API shape or `gcloud storage buckets describe
 * --format=json` shape.
 * @see https://cloud.google.com/storage/docs/access-control/iam-json
 * @see https://cloud.google.com/storage/docs/json_api/v1/buckets#resource
 */

/** A binding's IAM condition. */
export interface GcsCondition {
  title?: string;
  description?: string;
  expression: string;
}

/** One role binding, named as in the policy JSON. */
export interface GcsPolicyBinding {
  role: string;
  members: string[];
  condition?: GcsCondition;
}

/** A bucket IAM policy. */
export interface GcsIamPolicy {
  version: number;
  bindings: GcsPolicyBinding[];
  etag?: string;
}

/** The bucket settings the audit reads; absent fields are unknown. */
export interface GcsBucketMetadata {
  uniformBucketLevelAccess?: boolean;
  /** Retention period in seconds, when a retention policy is set */
  retentionPeriodSeconds?: number;
  retentionLocked?: boolean;
  publicAccessPrevention?: string;
  defaultKmsKeyName?: string;
  requesterPays?: boolean;
}

type Json = Record<string, unknown>;

/**
 * Parses an IAM policy.
 * @param value - parsed JSON
 * @param field - the flag or file to name in errors
 * @returns the typed policy
 * @throws NimbleError E_INPUT naming the JSON path
 */
export function parseGcsIamPolicy(value: unknown, field: string): GcsIamPolicy {
  const policy = asObject(value, field);
  checkPolicyFields(policy, field);
  const version = policy.version ?? 1;
  if (version !== 1 && version !== 2 && version !== 3) {
    throw inputError(`${field}: version`, "must be 1, 2 or 3");
  }
  const bindings = policy.bindings ?? [];
  if (!Array.isArray(bindings)) throw inputError(`${field}: bindings`, "must be an array");

  return {
    version,
    bindings: bindings.map((b: unknown, i) => parseBinding(b, `${field}: bindings[${i}]`)),
    ...(typeof policy.etag === "string" ? { etag: policy.etag } : {}),
  };
}

/**
 * The fields of a bucket IAM policy: gcloud prints version, bindings and etag; the JSON API adds
 * kind and resourceId. A file without bindings or etag, or with another field, is not one.
 * @see https://cloud.google.com/storage/docs/json_api/v1/buckets/getIamPolicy
 */
const POLICY_FIELDS = ["version", "bindings", "etag", "kind", "resourceId", "auditConfigs"];
const AWS_ELEMENTS = ["Version", "Statement", "Id"];
const NOT_A_FIELD = "is not a field of a GCS IAM policy (bindings[], version, etag)";
const AWS_ELEMENT =
  "is an AWS policy element: give the output of " +
  "`gcloud storage buckets get-iam-policy gs://BUCKET --format=json`";

function checkPolicyFields(policy: Json, field: string): void {
  const other = Object.keys(policy).find((key) => !POLICY_FIELDS.includes(key));
  if (other !== undefined)
    throw inputError(
      `${field}: ${other}`,
      AWS_ELEMENTS.includes(other) ? AWS_ELEMENT : NOT_A_FIELD,
    );
  if (policy.bindings === undefined && policy.etag === undefined)
    throw inputError(`${field}: bindings`, "missing: a GCS IAM policy has bindings[] (or an etag)");
  if (policy.etag !== undefined && typeof policy.etag !== "string")
    throw inputError(`${field}: etag`, "must be a string");
}

function parseBinding(value: unknown, path: string): GcsPolicyBinding {
  const binding = asObject(value, path);
  const role = binding.role;
  if (typeof role !== "string" || role === "") {
    throw inputError(`${path}.role`, "must be a role name");
  }
  const members = binding.members;
  if (!Array.isArray(members) || !members.every((m) => typeof m === "string")) {
    throw inputError(`${path}.members`, "must be an array of member strings");
  }

  const condition =
    binding.condition === undefined ? undefined : parseCondition(binding.condition, path);
  return { role, members, ...(condition ? { condition } : {}) };
}

function parseCondition(value: unknown, path: string): GcsCondition {
  const condition = asObject(value, `${path}.condition`);
  if (typeof condition.expression !== "string") {
    throw inputError(`${path}.condition.expression`, "must be a CEL expression string");
  }

  return {
    expression: condition.expression,
    ...(typeof condition.title === "string" ? { title: condition.title } : {}),
    ...(typeof condition.description === "string" ? { description: condition.description } : {}),
  };
}

/**
 * Parses bucket metadata (JSON API or gcloud describe shape).
 * @param value - parsed JSON
 * @param field - the flag or file to name in errors
 * @returns the settings the audit reads
 * @throws NimbleError E_INPUT naming the JSON path
 */
export function parseGcsMetadata(value: unknown, field: string): GcsBucketMetadata {
  const m = asObject(value, field);
  if (!METADATA_FIELDS.some((key) => key in m))
    throw inputError(
      `${field}: name`,
      "missing: not bucket metadata (JSON API or gcloud describe)",
    );
  const iam = optionalObject(m.iamConfiguration, `${field}: iamConfiguration`);
  const ubla = optionalObject(iam?.uniformBucketLevelAccess, `${field}: iamConfiguration`);
  const retention = optionalObject(
    m.retentionPolicy ?? m.retention_policy,
    `${field}: retentionPolicy`,
  );
  const encryption = optionalObject(m.encryption, `${field}: encryption`);
  const billing = optionalObject(m.billing, `${field}: billing`);

  return dropUndefined({
    uniformBucketLevelAccess: bool(ubla?.enabled ?? m.uniform_bucket_level_access, field),
    retentionPeriodSeconds: seconds(retention?.retentionPeriod, `${field}: retentionPolicy`),
    retentionLocked: bool(retention?.isLocked, field),
    publicAccessPrevention: str(iam?.publicAccessPrevention ?? m.public_access_prevention),
    defaultKmsKeyName: str(encryption?.defaultKmsKeyName ?? m.default_kms_key),
    requesterPays: bool(billing?.requesterPays ?? m.requester_pays, field),
  });
}

/** Fields of which bucket metadata has at least one (`name` in both shapes). */
const METADATA_FIELDS = [
  "name",
  "kind",
  "iamConfiguration",
  "retentionPolicy",
  "retention_policy",
  "encryption",
  "billing",
  "uniform_bucket_level_access",
  "public_access_prevention",
  "default_kms_key",
  "requester_pays",
];

function asObject(value: unknown, path: string): Json {
  if (!isRecord(value)) throw inputError(path, "must be a JSON object");
  return value;
}

function optionalObject(value: unknown, path: string): Json | undefined {
  return value === undefined || value === null ? undefined : asObject(value, path);
}

function bool(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw inputError(path, "a flag must be true or false");
  return value;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function seconds(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) {
    throw inputError(`${path}.retentionPeriod`, "must be a number of seconds");
  }
  return number;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
