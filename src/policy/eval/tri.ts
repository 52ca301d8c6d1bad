/**
 * Three-valued truth for the evaluator: true, false, or undecided because a value is unknown.
 */

/** Undecided: the answer needs the value of these context keys (or names an unsupported part). */
export interface Undecided {
  readonly dependsOn: readonly string[];
}

/** true, false, or undecided. */
export type Tri = boolean | Undecided;

/** An undecided value that depends on `keys`. */
export function undecided(keys: readonly string[]): Undecided {
  return { dependsOn: keys };
}

/** True when the value is undecided. */
export function isUndecided(value: Tri): value is Undecided {
  return typeof value === "object";
}

/** AND of three-valued results: false wins, then undecided, then true. */
export function and(values: Iterable<Tri>): Tri {
  let keys: string[] | undefined;
  for (const value of values) {
    if (value === false) return false;
    if (value !== true) (keys ??= []).push(...value.dependsOn);
  }
  return keys ? undecided(unique(keys)) : true;
}

/** OR of three-valued results: true wins, then undecided, then false. */
export function or(values: Iterable<Tri>): Tri {
  let keys: string[] | undefined;
  for (const value of values) {
    if (value === true) return true;
    if (value !== false) (keys ??= []).push(...value.dependsOn);
  }
  return keys ? undecided(unique(keys)) : false;
}

/** NOT of a three-valued result. */
export function not(value: Tri): Tri {
  return typeof value === "boolean" ? !value : value;
}

/** The list without repeats, in first-seen order. */
export function unique(keys: readonly string[]): string[] {
  return [...new Set(keys)];
}
