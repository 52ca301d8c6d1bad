/**
 * IAM literal escaping for strings taken from user input and placed in a Resource or a
 * condition value: `*`, `?` and `$` become `${*}`, `${?}` and `${$}`, so they match themselves.
 * `normalizePrefix` already rejects these characters; this is the second line of defence, so a
 * future caller that skips it still cannot widen a grant.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
 */

/**
 * Escapes IAM wildcard and variable characters in a literal.
 * @param literal - a bucket name or key prefix
 * @returns the literal with `*`, `?`, `$` replaced by `${*}`, `${?}`, `${$}`
 */
export function escapeIamLiteral(literal: string): string {
  return literal.replace(/[*?$]/g, (c) => `\${${c}}`);
}
