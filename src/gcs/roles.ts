/**
 * Cloud Storage's predefined IAM roles and the `storage.*` permissions each one carries, kept as
 * data. Permissions of other services that some roles also carry (resourcemanager.projects.get,
 * orgpolicy.policy.get, monitoring, recommender, ...) are left out: no bucket operation needs them.
 * Role contents as listed on Google's page on 2025-2026; a role Google changes later must be
 * updated here by hand (TODO: re-check this table when Google adds a storage role).
 * @see https://cloud.google.com/storage/docs/access-control/iam-roles
 */

/** The document the role table below was taken from. */
export const ROLES_SOURCE = "https://cloud.google.com/storage/docs/access-control/iam-roles";

const MULTIPART = [
  "storage.multipartUploads.create",
  "storage.multipartUploads.abort",
  "storage.multipartUploads.listParts",
  "storage.multipartUploads.list",
];
/** Managed-folder permissions without their IAM ones. */
const MANAGED_FOLDERS_USE = [
  "storage.managedFolders.create",
  "storage.managedFolders.delete",
  "storage.managedFolders.get",
  "storage.managedFolders.list",
];
const MANAGED_FOLDERS = [
  ...MANAGED_FOLDERS_USE,
  "storage.managedFolders.getIamPolicy",
  "storage.managedFolders.setIamPolicy",
];
/** What Storage Object User may do with objects: everything but IAM, retention and move. */
const OBJECTS_USE = [
  "storage.objects.create",
  "storage.objects.delete",
  "storage.objects.get",
  "storage.objects.list",
  "storage.objects.update",
  "storage.objects.restore",
];
const OBJECTS_ALL = [
  ...OBJECTS_USE,
  "storage.objects.move",
  "storage.objects.getIamPolicy",
  "storage.objects.setIamPolicy",
  "storage.objects.setRetention",
  "storage.objects.overrideUnlockedRetention",
];
const BUCKETS_ALL = [
  "storage.buckets.create",
  "storage.buckets.delete",
  "storage.buckets.get",
  "storage.buckets.list",
  "storage.buckets.update",
  "storage.buckets.getIamPolicy",
  "storage.buckets.setIamPolicy",
  "storage.buckets.enableObjectRetention",
  "storage.buckets.restore",
];

/** Predefined storage role → its `storage.*` permissions. */
export const STORAGE_ROLES: Readonly<Record<string, readonly string[]>> = {
  "roles/storage.objectCreator": [
    "storage.objects.create",
    "storage.managedFolders.create",
    "storage.multipartUploads.create",
    "storage.multipartUploads.abort",
    "storage.multipartUploads.listParts",
  ],
  "roles/storage.objectViewer": [
    "storage.objects.get",
    "storage.objects.list",
    "storage.managedFolders.get",
    "storage.managedFolders.list",
  ],
  "roles/storage.objectUser": [...OBJECTS_USE, ...MANAGED_FOLDERS_USE, ...MULTIPART],
  "roles/storage.objectAdmin": [...OBJECTS_ALL, ...MANAGED_FOLDERS, ...MULTIPART],
  "roles/storage.folderAdmin": [
    ...OBJECTS_ALL,
    ...MANAGED_FOLDERS,
    ...MULTIPART,
    "storage.folders.create",
    "storage.folders.delete",
    "storage.folders.get",
    "storage.folders.list",
    "storage.folders.rename",
  ],
  "roles/storage.admin": [...BUCKETS_ALL, ...OBJECTS_ALL, ...MANAGED_FOLDERS, ...MULTIPART],
  "roles/storage.bucketViewer": ["storage.buckets.get", "storage.buckets.list"],
  "roles/storage.legacyBucketReader": [
    "storage.buckets.get",
    "storage.objects.list",
    "storage.multipartUploads.list",
    "storage.managedFolders.get",
    "storage.managedFolders.list",
  ],
  "roles/storage.legacyBucketWriter": [
    "storage.buckets.get",
    "storage.objects.list",
    "storage.objects.create",
    "storage.objects.delete",
    "storage.objects.restore",
    ...MULTIPART,
    ...MANAGED_FOLDERS_USE,
  ],
  "roles/storage.legacyBucketOwner": [
    "storage.buckets.get",
    "storage.buckets.update",
    "storage.buckets.getIamPolicy",
    "storage.buckets.setIamPolicy",
    "storage.objects.list",
    "storage.objects.create",
    "storage.objects.delete",
    "storage.objects.restore",
    ...MULTIPART,
    ...MANAGED_FOLDERS,
  ],
  "roles/storage.legacyObjectReader": ["storage.objects.get"],
  "roles/storage.legacyObjectOwner": [
    "storage.objects.get",
    "storage.objects.update",
    "storage.objects.getIamPolicy",
    "storage.objects.setIamPolicy",
  ],
};

/** Permissions that delete data or hand over control of the bucket or its objects. */
export const DELETE_OR_ADMIN_PERMISSIONS: readonly string[] = [
  "storage.objects.delete",
  "storage.buckets.delete",
  "storage.buckets.setIamPolicy",
  "storage.objects.setIamPolicy",
  "storage.managedFolders.delete",
  "storage.managedFolders.setIamPolicy",
];

/**
 * The `storage.*` permissions of a role.
 * @param role - e.g. roles/storage.objectCreator
 * @returns the permissions, or undefined for a custom or unknown role (its contents cannot be
 *   known from the bucket policy)
 */
export function rolePermissions(role: string): readonly string[] | undefined {
  return Object.hasOwn(STORAGE_ROLES, role) ? STORAGE_ROLES[role] : undefined;
}

/**
 * Whether a role grants a permission.
 * @param role - a role name from a binding
 * @param permission - e.g. storage.objects.create
 * @returns true or false for a predefined role, undefined when the role's contents are unknown
 */
export function roleGrants(role: string, permission: string): boolean | undefined {
  const permissions = rolePermissions(role);
  if (permissions === undefined) return isOtherServiceRole(role) ? false : undefined;

  return permissions.includes(permission);
}

/** A predefined role of another service (roles/bigquery.admin) grants no storage permission. */
function isOtherServiceRole(role: string): boolean {
  return /^roles\/[a-z]+\./.test(role) && !role.startsWith("roles/storage.");
}

/**
 * The delete or admin permissions a role carries.
 * @param role - a role name
 * @returns the subset of DELETE_OR_ADMIN_PERMISSIONS it grants (empty for unknown roles)
 */
export function deleteOrAdminPermissions(role: string): string[] {
  const permissions = rolePermissions(role) ?? [];
  return DELETE_OR_ADMIN_PERMISSIONS.filter((p) => permissions.includes(p));
}
