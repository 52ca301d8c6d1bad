/**
 * Removes anything that looks like a credential from text before it reaches output, logs or
 * reports: credential values from the environment, access key ids, bearer and OAuth tokens,
 * signatures and signing parameters. Servers echo such values in error messages (an S3-compatible
 * server may quote the access key id and the signature it computed), so every message that came
 * from outside passes through here.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */

/** Patterns whose whole match is a credential. */
const WHOLE: readonly RegExp[] = [
  // Access key ids: AKIA (long-term) and ASIA (temporary) followed by upper-case letters/digits.
  /\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g,
  // OAuth 2 access tokens from Google.
  /\bya29\.[\w.-]+/g,
  // A SigV4 signature or any other long hex digest.
  /\b[0-9a-f]{40,}\b/gi,
];

/** Patterns whose first group is a label to keep and whose rest is a credential. */
const LABELLED: readonly RegExp[] = [
  /(Bearer\s+)[\w.~+/=-]+/gi,
  /(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s]+/gi,
  /((?:Signature|Credential|SignedHeaders)\s*=\s*)[^,\s&]+/gi,
  // A password in a URL's user information (scheme://user:password@host).
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/@]+(?=@)/gi,
];

/** Environment variables whose values must never be printed. */
const SECRET_ENV = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "GOOGLE_OAUTH_ACCESS_TOKEN",
];

/**
 * @param text - any text about to be printed
 * @param env - the environment whose credential values must not appear
 * @returns the text with credentials replaced by `[redacted]`
 */
export function redact(
  text: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  let result = text;
  for (const value of secretValues(env)) result = result.split(value).join("[redacted]");
  for (const pattern of WHOLE) result = result.replace(pattern, "[redacted]");
  for (const pattern of LABELLED) result = result.replace(pattern, "$1[redacted]");
  return result;
}

/** Each secret as it is, and in the encodings a server may echo it in. */
function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = SECRET_ENV.map((name) => env[name]).filter(
    (value): value is string => value !== undefined && value.length >= 8,
  );
  return values.flatMap((value) => [
    value,
    encodeURIComponent(value),
    Buffer.from(value).toString("base64"),
  ]);
}
