import { inputError } from "../errors.js";
import {
  checkGcsBucketName,
  checkS3BucketName,
  normalizePrefix,
  printable,
} from "../policy/names.js";

/**
 * A bucket and key prefix to probe, parsed once from an `s3://` or `gs://` URL.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * @see https://cloud.google.com/storage/docs/buckets#naming
 */
export interface Target {
  provider: "s3" | "gcs";
  bucket: string;
  /** "" (the whole bucket) or a prefix ending in exactly one `/` */
  prefix: string;
  /** The canonical URL: scheme, bucket and normalized prefix, e.g. `s3://b/in/` */
  url: string;
}

const TARGET_URL = /^(s3|gs):\/\/([^/]*)(?:\/(.*))?$/s;

/**
 * Parses `s3://BUCKET/PREFIX/` or `gs://BUCKET/PREFIX/`. The prefix goes through the same rules
 * as the policy generators (`normalizePrefix`): `*`, `?` and `$` are refused although S3 and GCS
 * keys may contain them, because no grant nimble-bucket generates can name such a prefix safely.
 * A prefix without a trailing `/` gets one, as in Nimble's `storage_url` examples.
 * @param url - the URL as typed
 * @param field - the flag or JSON path to name in an error
 * @returns the parsed target
 * @throws NimbleError E_INPUT naming the field
 */
export function parseTarget(url: string, field: string): Target {
  const match = TARGET_URL.exec(url);
  if (!match) {
    throw inputError(field, `"${printable(url)}" is not an s3://BUCKET/PREFIX/ or gs://… URL`);
  }

  const scheme = match[1] === "s3" ? "s3" : "gs";
  const bucket = match[2] ?? "";
  const provider = scheme === "s3" ? "s3" : "gcs";
  if (provider === "s3") checkS3BucketName(bucket, field);
  else checkGcsBucketName(bucket, field);
  const prefix = normalizePrefix(match[3] ?? "", field);

  return { provider, bucket, prefix, url: `${scheme}://${bucket}/${prefix}` };
}
