/**
 * IAM wildcard matching: `*` matches any run of characters (including none and `/`), `?` any one.
 * Actions compare case-insensitively, resources case-sensitively.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */

const cache = new Map<string, RegExp>();

/**
 * True when `value` matches the IAM pattern.
 * @param pattern - a string that may contain `*` and `?`
 * @param value - a concrete action or resource
 * @param ignoreCase - true for actions
 */
export function matchesWildcard(pattern: string, value: string, ignoreCase = false): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }

  return compile(pattern, ignoreCase).test(value);
}

function compile(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? "i" : "s"}${pattern}`;
  let regex = cache.get(key);
  if (!regex) {
    const body = pattern
      .split("")
      .map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : escapeRegex(c)))
      .join("");
    regex = new RegExp(`^${body}$`, ignoreCase ? "i" : "");
    cache.set(key, regex);
  }
  return regex;
}

function escapeRegex(c: string): string {
  return /[\\^$.|+()[\]{}]/.test(c) ? `\\${c}` : c;
}
