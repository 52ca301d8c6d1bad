import { inputError } from "../errors.js";

/**
 * Bucket names, prefixes and principals as the user types them, checked once at the edge.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * @see https://cloud.google.com/storage/docs/buckets#naming
 */

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * Checks a general purpose S3 bucket name against AWS's naming rules.
 * @param name - the bucket name
 * @param field - the flag to name in the error
 * @returns the name, unchanged
 * @throws NimbleError E_INPUT naming the field
 */
export function checkS3BucketName(name: string, field = "--bucket"): string {
  const problem = s3BucketNameProblem(name);
  if (problem)
    throw inputError(field, `"${printable(name)}" is not a valid S3 bucket name: ${problem}`);

  return name;
}

function s3BucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return "it must be 3 to 63 characters long";
  if (!/^[a-z0-9.-]+$/.test(name)) return "use only lowercase letters, digits, dots and hyphens";
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return "it must begin and end with a letter or digit";
  if (name.includes("..")) return "it must not contain two adjacent dots";
  if (IPV4.test(name)) return "it must not look like an IP address";
  if (S3_RESERVED_PREFIXES.some((p) => name.startsWith(p)))
    return "it starts with a reserved prefix";
  if (S3_RESERVED_SUFFIXES.some((s) => name.endsWith(s))) return "it ends with a reserved suffix";
  return undefined;
}

/**
 * Checks a GCS bucket name against Google's naming rules.
 * @param name - the bucket name
 * @param field - the flag to name in the error
 * @returns the name, unchanged
 * @throws NimbleError E_INPUT naming the field
 */
export function checkGcsBucketName(name: string, field = "--bucket"): string {
  const problem = gcsBucketNameProblem(name);
  if (problem)
    throw inputError(field, `"${printable(name)}" is not a valid GCS bucket name: ${problem}`);

  return name;
}

function gcsBucketNameProblem(name: string): string | undefined {
  const maxLength = name.includes(".") ? 222 : 63;
  if (name.length < 3 || name.length > maxLength)
    return `it must be 3 to ${maxLength} characters long`;
  if (!/^[a-z0-9._-]+$/.test(name))
    return "use only lowercase letters, digits, dots, hyphens and underscores";
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return "it must begin and end with a letter or digit";
  if (name.split(".").some((part) => part.length === 0 || part.length > 63)) {
    return "each dot-separated part must be 1 to 63 characters long";
  }
  if (IPV4.test(name)) return "it must not look like an IP address";
  if (name.startsWith("goog")) return 'it must not start with "goog"';
  if (/g[o0]{2}gle/.test(name)) return 'it must not contain "google" or a look-alike';
  return undefined;
}

/**
 * Normalizes a key prefix to exactly one trailing `/` ("" stays "", the whole bucket).
 * Rejects characters that would widen an IAM resource (`*`, `?`, `$`), a leading `/`, `..`
 * segments and control characters, so a generated grant can never cover more than was asked.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * @param raw - the prefix as typed
 * @param field - the flag to name in the error
 * @returns "" or a prefix ending in exactly one `/`
 * @throws NimbleError E_INPUT naming the field
 */
export function normalizePrefix(raw: string, field: string): string {
  const problem = prefixProblem(raw);
  if (problem) throw inputError(field, `"${printable(raw)}" is not a usable prefix: ${problem}`);

  const trimmed = raw.replace(/\/+$/, "");
  return trimmed === "" ? "" : `${trimmed}/`;
}

function prefixProblem(raw: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return "it contains a control character";
  if (/[*?$]/.test(raw))
    return "'*', '?' and '$' are IAM wildcards or variables and would widen the grant";
  if (raw.startsWith("/")) return "it must not start with '/' (keys have no leading slash)";
  if (raw !== raw.trim()) return "it begins or ends with white space (a copy-paste slip?)";
  if (raw.split("/").some((part) => part === ".." || part === "."))
    return "it must not contain '.' or '..' segments";
  if (raw.replace(/\/+$/, "").includes("//")) return "it must not contain empty segments ('//')";
  if (Buffer.byteLength(raw, "utf8") > 900) return "it is too long for an S3 key prefix";
  return undefined;
}

const AWS_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(user|role|root)(\/[\w+=,.@/-]+)?$/;

/**
 * Checks an AWS principal given with --principal: an IAM user or role ARN, or an account root.
 * @param arn - the principal ARN
 * @param field - the flag to name in the error
 * @returns the ARN, unchanged
 * @throws NimbleError E_INPUT naming the field
 */
export function checkAwsPrincipal(arn: string, field = "--principal"): string {
  const match = AWS_PRINCIPAL_ARN.exec(arn);
  const kind = match?.[2];
  const path = match?.[3];
  const valid = match !== null && (kind === "root" ? path === undefined : path !== undefined);
  if (!valid) {
    const shape = "arn:aws:iam::123456789012:user/NAME";
    throw inputError(
      field,
      `"${printable(arn)}" is not an IAM user, role or account-root ARN (${shape})`,
    );
  }

  return arn;
}

const GCS_MEMBER = /^(serviceAccount|user|group):[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$/i;

/**
 * Checks a GCS IAM member given with --member (serviceAccount:, user: or group: and an email).
 * @param member - the member string
 * @param field - the flag to name in the error
 * @returns the member, unchanged
 * @throws NimbleError E_INPUT naming the field
 */
export function checkGcsMember(member: string, field = "--member"): string {
  if (!GCS_MEMBER.test(member)) {
    const shape = "serviceAccount:NAME@PROJECT.iam.gserviceaccount.com";
    throw inputError(field, `"${printable(member)}" is not a member like ${shape}`);
  }

  return member;
}

/** Shows control characters as escapes so an error message stays on one line. */
export function printable(value: string): string {
  return value.replace(CONTROL_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;
