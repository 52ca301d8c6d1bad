import type { CheckInfo } from "../audit/types.js";

/**
 * The GCS audit's checks: stable ids, severity and text, kept as data (the README table and
 * `--explain ID` read them). The checks themselves live in audit-checks.ts and never import this
 * list; audit.ts binds each finding to its entry here.
 * @see https://cloud.google.com/storage/docs/access-control/iam
 */
export const GCS_CHECKS: readonly CheckInfo[] = [
  {
    id: "GCS-CREATE-NOT-GRANTED",
    severity: "error",
    title: "Nimble's member cannot create objects under the output prefix",
    explanation:
      "No binding gives Nimble's service account storage.objects.create on objects under the " +
      "prefix, so every delivery fails with 403.",
    fix:
      "Bind roles/storage.objectCreator to Nimble's member on the bucket " +
      "(nimble-bucket policy gcs --bucket BUCKET prints it).",
    see: "https://cloud.google.com/storage/docs/access-control/iam-roles",
  },
  {
    id: "GCS-GRANT-DEPENDS",
    severity: "warning",
    title: "A grant Nimble needs depends on something the bucket policy cannot show",
    explanation:
      "The binding that would grant the permission names a group or domain the service account " +
      "may or may not belong to, a custom role whose permissions are defined elsewhere, or a " +
      "condition on request attributes (request.time, api.getAttribute), so the outcome is " +
      "uncertain.",
    fix: "Grant the role to Nimble's service account itself, without such a condition.",
    see: "https://cloud.google.com/iam/docs/conditions-attribute-reference",
  },
  {
    id: "GCS-OVERWRITE-NEEDS-DELETE",
    severity: "info",
    title: "Nimble can create objects but not replace existing ones",
    explanation:
      "Replacing an object on GCS needs storage.objects.delete as well as create; Storage Object " +
      "Creator has no delete, so a second delivery to the same object name fails with 403. Keep " +
      "object names unique. nimble-bucket's own write probe is create-only and never needs " +
      "delete. Granting delete, scoped by an IAM condition to the output prefix, is a choice " +
      "only the bucket owner can make knowingly; nimble-bucket never generates it.",
    fix: "Keep object names unique: leave storage_object_name unset (the task id is the name).",
    see: "https://cloud.google.com/storage/docs/access-control/iam-permissions",
  },
  {
    id: "GCS-CREATE-BUCKET-WIDE",
    severity: "warning",
    title: "Nimble can create objects anywhere in the bucket, not only under the prefix",
    explanation:
      "The create grant has no condition on the object name, so it also covers every other " +
      "prefix of the bucket, not only the storage_url prefix Nimble delivers to.",
    fix: 'With uniform access on, add resource.name.startsWith("projects/_/buckets/B/objects/P").',
    see: "https://cloud.google.com/storage/docs/access-control/iam#conditions",
  },
  {
    id: "GCS-BUCKET-GET-NOT-GRANTED",
    severity: "info",
    title: "storage.buckets.get is not granted: a bucket-metadata check will get 403",
    explanation:
      "Object roles (Object Creator, Object Viewer) do not include storage.buckets.get, so a " +
      "tool that reads bucket metadata to test the connection sees 403 although delivery works. " +
      "nimble-bucket's probe does not read bucket metadata for that reason.",
    fix: "Nothing to fix for delivery; test the connection with nimble-bucket probe --write.",
    see: "https://cloud.google.com/storage/docs/access-control/iam-roles",
  },
  {
    id: "GCS-PREFIX-CONDITION-BREAKS-LIST",
    severity: "error",
    title: "A condition on object names removes listing",
    explanation:
      "storage.objects.list is checked on the bucket (projects/_/buckets/BUCKET), which no " +
      "condition on .../objects/PREFIX matches, so the binding grants no listing. Listing is " +
      "then bucket-wide, since IAM conditions cannot limit which prefixes a member lists.",
    fix: 'Add `|| resource.name == "projects/_/buckets/BUCKET"` to the condition.',
    see: "https://cloud.google.com/storage/docs/access-control/iam#conditions",
  },
  {
    id: "GCS-LIST-BUCKET-WIDE",
    severity: "info",
    title: "Nimble can list every object name in the bucket",
    explanation:
      "Listing is granted on the bucket resource, so it covers all prefixes even when object " +
      "reads are limited by a condition.",
    fix: "Accept it, or move Nimble's data to a bucket of its own.",
    see: "https://cloud.google.com/storage/docs/access-control/iam#conditions",
  },
  {
    id: "GCS-CONDITION-WITHOUT-UBLA",
    severity: "error",
    title: "IAM conditions on a bucket without uniform bucket-level access",
    explanation:
      "Conditional bindings on a bucket need uniform bucket-level access (and policy version 3); " +
      "Google refuses to set them otherwise.",
    fix: "Enable uniform bucket-level access on the bucket first.",
    see: "https://cloud.google.com/storage/docs/uniform-bucket-level-access",
  },
  {
    id: "GCS-DELETE-OR-ADMIN-ROLE",
    severity: "warning",
    title: "Nimble's member holds a role that can delete objects or administer the bucket",
    explanation:
      "Nimble never deletes anything and needs only Storage Object Creator; Object Admin, " +
      "Object User, Storage Admin and the legacy bucket owner/writer roles can delete.",
    fix: "Replace the role with roles/storage.objectCreator.",
    see: "https://cloud.google.com/storage/docs/access-control/iam-roles",
  },
  {
    id: "GCS-PUBLIC-BINDING",
    severity: "warning",
    title: "The bucket grants a role to allUsers or allAuthenticatedUsers",
    explanation:
      "allUsers is anyone on the internet; allAuthenticatedUsers is anyone with a Google " +
      "account.",
    fix: "Remove the binding unless the data is meant to be public; enforce public access prevention.",
    see: "https://cloud.google.com/storage/docs/public-access-prevention",
  },
  {
    id: "GCS-RETENTION-BLOCKS-REWRITE",
    severity: "warning",
    title: "A retention policy blocks replacing an object with the same name",
    explanation:
      "While an object is under the bucket's retention period it cannot be deleted or " +
      "overwritten, so a delivery that reuses an object name fails until the period ends.",
    fix: "Keep object names unique: leave storage_object_name unset.",
    see: "https://cloud.google.com/storage/docs/bucket-lock",
  },
  {
    id: "GCS-CMEK-AGENT-UNCHECKED",
    severity: "info",
    title: "A default Cloud KMS key is set; its service-agent grant cannot be checked here",
    explanation:
      "With a default customer-managed key, the bucket project's Cloud Storage service agent " +
      "needs roles/cloudkms.cryptoKeyEncrypterDecrypter on the key, or uploads fail. That grant " +
      "is on the key, not the bucket.",
    fix: "Check the service agent's role on the key with gcloud kms keys get-iam-policy.",
    see: "https://cloud.google.com/storage/docs/encryption/customer-managed-keys",
  },
  {
    id: "GCS-REQUESTER-PAYS",
    severity: "warning",
    title: "Requester Pays is on: requests without a billing project fail",
    explanation:
      "Every request to a Requester Pays bucket must name a project to bill (userProject); " +
      "without one Google answers 400 UserProjectMissing. Nimble's docs do not say that its " +
      "delivery sends one.",
    fix: "Turn Requester Pays off for this bucket.",
    see: "https://cloud.google.com/storage/docs/requester-pays",
  },
  {
    id: "GCS-CHECK-FAILED",
    severity: "warning",
    title: "A check could not be evaluated",
    explanation: "The check threw on this input; its result is unknown.",
    fix: "Please report it with the IAM policy that caused it.",
  },
];
