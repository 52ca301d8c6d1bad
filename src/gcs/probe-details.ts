/**
 * The detail line the GCS probe shows for each outcome, kept as data: one small template each.
 * `cause` is "OPERATION on gs://BUCKET/PREFIX/"; `message` is the error's first line, redacted.
 * @see https://cloud.google.com/storage/docs/json_api/v1/status-codes
 * @see https://cloud.google.com/storage/docs/request-preconditions
 */

interface Failure {
  cause: string;
  message: string;
}

/**
 * The detail line of each outcome. The two test-object lines explain the write probe's design:
 * a create-only upload (ifGenerationMatch=0) never replaces an object, so it never needs delete.
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects/insert
 */
export const GCS_PROBE_DETAILS = {
  "listed-empty": (v: { url: string }) => `listed ${v.url}: no objects yet`,
  "listed-and-read": (v: { url: string; object: string }) =>
    `listed ${v.url} and read the metadata of ${v.object}`,
  created: (v: { url: string }) => `created ${v.url} (create-only upload)`,
  "test-object-precondition": (v: { url: string }) =>
    `the test object ${v.url} already existed: the create-only upload (ifGenerationMatch=0) ` +
    "got 412 after the create permission was checked, so nothing was replaced",
  "test-object-needs-delete": (v: { url: string }) =>
    `the test object ${v.url} already existed and Google asked for storage.objects.delete ` +
    "to replace it, which Nimble's role does not need; create was not re-checked",
  "not-gcs": (v: Failure) =>
    `${v.cause}: the endpoint did not answer like Cloud Storage: ${v.message}; check the ` +
    "endpoint (--gcs-endpoint) and any proxy or captive portal between here and Google",
  unreachable: (v: Failure) => `${v.cause} could not reach Cloud Storage: ${v.message}`,
  "bucket-missing": (v: { bucket: string }) => `gs://${v.bucket} does not exist (404)`,
  retention: (v: Failure) => `${v.cause}: blocked by a retention policy (403): ${v.message}`,
  "access-denied": (v: { cause: string; permission: string }) =>
    `${v.cause}: the caller lacks ${v.permission} (403)`,
  "bad-request": (v: Failure & { reason: string }) => `${v.cause}: ${v.reason} (400): ${v.message}`,
  "credentials-rejected": (v: { cause: string }) =>
    `${v.cause}: the credentials were rejected (401)`,
  "http-error": (v: Failure & { status: number }) =>
    `${v.cause} failed with HTTP ${v.status}: ${v.message}`,
} satisfies Record<string, (values: never) => string>;

/** The probe's outcomes, each with its own detail line. */
export type GcsDetailKind = keyof typeof GCS_PROBE_DETAILS;

/**
 * One detail line.
 * @param kind - the outcome
 * @param values - what its template names
 * @returns the line (not yet redacted)
 */
export function gcsDetail<Kind extends GcsDetailKind>(
  kind: Kind,
  values: Parameters<(typeof GCS_PROBE_DETAILS)[Kind]>[0],
): string {
  const render = GCS_PROBE_DETAILS[kind] as (v: typeof values) => string;

  return render(values);
}

/** Why a 400 was refused, recognised by the error message; the first match wins. */
export const BAD_REQUEST_CAUSES: readonly { pattern: RegExp; reason: string }[] = [
  {
    pattern: /requester pays|UserProjectMissing/i,
    reason: "the bucket has Requester Pays on and no billing project was sent",
  },
  {
    pattern: /uniform bucket-level access|legacy ACL/i,
    reason: "uniform bucket-level access refuses ACL parameters",
  },
];

/** The reason given for a 400 that no entry of BAD_REQUEST_CAUSES recognises. */
export const BAD_REQUEST_OTHER = "the request was refused";
