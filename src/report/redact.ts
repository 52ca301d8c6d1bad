/**
 * Removes anything that looks like a credential from text before it reaches output, logs or
 * reports: secret values from the environment, access key ids, bearer and OAuth tokens, and
 * signature parameters of signed requests.
 */

/** Patterns whose whole match is a credential. */
const WHOLE: readonly RegExp[] = [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, /\bya29\.[\w.-]+/g];

/** Patterns whose first group is a label to keep and whose rest is a credential. */
const LABELLED: readonly RegExp[] = [
  /(Bearer\s+)[\w.~+/=-]+/gi,
  /(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s]+/gi,
  /((?:Signature|Credential)=)[^,\s&]+/g,
];

const SECRET_ENV = ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "GOOGLE_OAUTH_ACCESS_TOKEN"];

/**
 * @param text - any text about to be printed
 * @param env - the environment whose secret values must not appear
 * @returns the text with credentials replaced by `[redacted]`
 */
export function redact(
  text: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  let result = text;
  for (const name of SECRET_ENV) {
    const value = env[name];
    if (value && value.length >= 8) result = result.split(value).join("[redacted]");
  }
  for (const pattern of WHOLE) result = result.replace(pattern, "[redacted]");
  for (const pattern of LABELLED) result = result.replace(pattern, "$1[redacted]");
  return result;
}
