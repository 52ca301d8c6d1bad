/**
 * Nimble's documented identities and the names its delivery uses.
 * @see ../shared/nimble/facts.md (sections 1 to 4)
 */

/** Nimble's AWS account. */
export const NIMBLE_ACCOUNT = "744254827463";

/** The IAM user Jobs use to read inputs and write results. */
export const JOBS_PRINCIPAL = `arn:aws:iam::${NIMBLE_ACCOUNT}:user/crawlit-scrapy`;

/** The IAM user the Async API uses to deliver to S3 (and to use an SSE-KMS key). */
export const DELIVERY_PRINCIPAL = `arn:aws:iam::${NIMBLE_ACCOUNT}:user/webit-uploader`;

/** The service account the Async API uses to deliver to Google Cloud Storage. */
export const GCS_DELIVERY_MEMBER =
  "serviceAccount:nimbleway-gcp-storage@nimbleway-gcp.iam.gserviceaccount.com";

/** What a grant is for: Jobs (read input, write output) or Async API delivery. */
export type Use = "jobs" | "delivery";

/** The key, relative to the prefix, of the empty object Test Connection writes. */
export const TEST_OBJECT_NAME = ".nimble-connection-test";

/** Default Job prefixes, as in Nimble's template. */
export const DEFAULT_INPUT_PREFIX = "input/";
export const DEFAULT_OUTPUT_PREFIX = "output/";

/** Statement ids Nimble's templates use; a merge replaces statements with these Sids. */
export const SIDS = {
  listBucket: "NimbleListBucket",
  readInput: "NimbleReadInputPrefix",
  readWriteOutput: "NimbleReadWriteOutputPrefix",
  delivery: "NimbleCloudDelivery",
  kms: "NimbleKMSAccess",
} as const;

/**
 * Which of Nimble's grants, on which bucket and prefixes, for whom: the scope that the
 * generators, the list of Nimble's requests and the audit share.
 */
export interface NimbleScope {
  /** Jobs (read input, write output) or Async API delivery */
  use: Use;
  /** The bucket name */
  bucket: string;
  /** Jobs input prefix ("" or ending in "/"). @default "input/" */
  inputPrefix?: string;
  /** Jobs output prefix ("" or ending in "/"). @default "output/" */
  outputPrefix?: string;
  /** Delivery `storage_url` prefix ("" or ending in "/"). @default "" (the whole bucket) */
  prefix?: string;
  /** Nimble's principal ARN. @default defaultPrincipal(use) */
  principal?: string;
}

/** The default AWS principal for a use. */
export function defaultPrincipal(use: Use): string {
  return use === "jobs" ? JOBS_PRINCIPAL : DELIVERY_PRINCIPAL;
}

/** A scope without its bucket, with every default applied. */
export type ResolvedScope = Required<Omit<NimbleScope, "bucket">>;

/**
 * The one place the scope's defaults are applied: the Job prefixes, the delivery prefix and the
 * use's Nimble principal. Values are returned as given (not normalized or checked).
 * @param scope - use, and the optional prefixes and principal
 * @returns the scope with `inputPrefix`, `outputPrefix`, `prefix` and `principal` filled in
 * @see ../shared/nimble/facts.md (sections 1 to 4)
 */
export function resolveScope(scope: Omit<NimbleScope, "bucket">): ResolvedScope {
  return {
    use: scope.use,
    inputPrefix: scope.inputPrefix ?? DEFAULT_INPUT_PREFIX,
    outputPrefix: scope.outputPrefix ?? DEFAULT_OUTPUT_PREFIX,
    prefix: scope.prefix ?? "",
    principal: scope.principal ?? defaultPrincipal(scope.use),
  };
}
