import { GCS_DELIVERY_MEMBER } from "../../nimble.js";
import type { GcsBinding } from "../guard.js";
import { assertNoDeleteRoles } from "../guard.js";
import { checkGcsBucketName, checkGcsMember, normalizePrefix } from "../names.js";

/**
 * IAM bindings that let Nimble's service account deliver to a GCS bucket.
 * @see https://cloud.google.com/storage/docs/access-control/iam-roles
 */

/** Nimble's documented role: create objects, nothing else (no overwrite, no delete). */
export const GCS_DELIVERY_ROLE = "roles/storage.objectCreator";

/** Title of the prefix condition (IAM conditions need a title). */
export const GCS_CONDITION_TITLE = "nimble-delivery-prefix";

/** Options of the GCS bindings generator. */
export interface GcsBindingsOptions {
  /** The bucket name, checked against GCS's naming rules */
  bucket: string;
  /** Limits object creation to names under this prefix. @default "" (no condition) */
  prefix?: string;
  /** The member. @default GCS_DELIVERY_MEMBER */
  member?: string;
}

/**
 * Nimble's bucket-level binding, checked by the never-delete guard. A prefix becomes an IAM
 * condition on `resource.name`, which needs uniform bucket-level access on the bucket.
 * @param options - bucket, optional prefix, optional member
 * @returns one binding
 * @throws NimbleError E_INPUT naming the flag for a bad bucket, prefix or member
 * @see https://cloud.google.com/storage/docs/access-control/using-iam-permissions#conditions
 * @see https://cloud.google.com/iam/docs/conditions-resource-attributes#resource-name
 */
export function gcsBindings(options: GcsBindingsOptions): GcsBinding[] {
  const bucket = checkGcsBucketName(options.bucket);
  const member = checkGcsMember(options.member ?? GCS_DELIVERY_MEMBER);
  const prefix = normalizePrefix(options.prefix ?? "", "--prefix");
  const binding: GcsBinding = { role: GCS_DELIVERY_ROLE, members: [member] };
  if (prefix !== "") binding.condition = prefixCondition(bucket, prefix);

  return [...assertNoDeleteRoles([binding])];
}

function prefixCondition(bucket: string, prefix: string): NonNullable<GcsBinding["condition"]> {
  const name = `projects/_/buckets/${bucket}/objects/${prefix}`;
  return {
    title: GCS_CONDITION_TITLE,
    description: `Nimble may create objects only under gs://${bucket}/${prefix}`,
    expression: `resource.name.startsWith(${celString(name)})`,
  };
}

/**
 * A CEL double-quoted string literal: backslashes and quotes escaped.
 * @see https://github.com/google/cel-spec/blob/master/doc/langdef.md#string-and-bytes-values
 */
export function celString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
