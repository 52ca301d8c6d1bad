import parser from "yargs-parser";
import type { Options } from "yargs";

/**
 * The fast path of the CLI: a command whose flags are declared as data is parsed with
 * yargs-parser alone (what yargs itself uses underneath), so a plain, valid invocation does not
 * load yargs' help, validation and command machinery. Anything unusual (help, an unknown flag,
 * a missing or invalid value, a positional) returns undefined, and the full yargs parser runs
 * instead and reports it in its usual words.
 */

/** Flags as yargs declares them: name → { type, choices, default, demandOption, describe }. */
export type OptionTable = Readonly<Record<string, Options>>;

/**
 * Parses argv when it is a plain, valid use of the given flags.
 * @param argv - the arguments after the command words
 * @param options - the command's flags
 * @returns the arguments (kebab-case and camelCase keys, as yargs gives them), or undefined
 */
export function fastArgs(
  argv: readonly string[],
  options: OptionTable,
): Record<string, unknown> | undefined {
  if (argv.some((arg) => /^(-h|--help|--version)(=|$)/.test(arg))) return undefined;

  const entries = Object.entries(options);
  const named = (pick: (option: Options) => boolean) =>
    entries.filter(([, option]) => pick(option)).map(([name]) => name);
  const result = parser.detailed([...argv], {
    boolean: named((o) => o.type === "boolean"),
    number: named((o) => o.type === "number"),
    string: named((o) => o.type !== "boolean" && o.type !== "number"),
    default: Object.fromEntries(
      entries.flatMap(([n, o]) => (o.default === undefined ? [] : [[n, o.default]])),
    ),
  });
  const args = result.argv as Record<string, unknown>;

  return result.error || !isPlain(args, options) ? undefined : args;
}

function isPlain(args: Record<string, unknown>, options: OptionTable): boolean {
  const known = new Set(Object.keys(options).flatMap((name) => [name, camelCase(name)]));
  const positionals = args._ as unknown[];
  if (positionals.length > 0) return false;
  if (Object.keys(args).some((key) => key !== "_" && key !== "$0" && !known.has(key))) return false;

  return Object.entries(options).every(([name, option]) => {
    const value = args[name];
    if (value === undefined) return option.demandOption === undefined;
    const choices = option.choices as readonly unknown[] | undefined;
    return choices === undefined || choices.includes(value);
  });
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_match, c: string) => c.toUpperCase());
}
