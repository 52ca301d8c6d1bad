import parser from "yargs-parser";
import type { Options } from "yargs";
import { inputError } from "../errors.js";
import { printable } from "../policy/names.js";

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
 * Marks every flag that is not a boolean as needing a value (yargs' `requiresArg`), so that
 * `--output-prefix` with nothing after it is refused rather than read as "".
 * @param options - a command's flags
 * @returns the same flags, each string, number or choice flag with `requiresArg: true`
 * @see https://yargs.js.org/docs/#api-reference-requiresargkey
 */
export function requireValues(options: OptionTable): OptionTable {
  const entries = Object.entries(options).map(([name, option]): [string, Options] => [
    name,
    takesValue(option) ? { ...option, requiresArg: true } : option,
  ]);
  return Object.fromEntries(entries);
}

/**
 * Parses argv when it is a plain, valid use of the given flags (no flag repeated, every value
 * present: see {@link assertWellFormedFlags}).
 * @param argv - the arguments after the command words
 * @param options - the command's flags
 * @returns the arguments (kebab-case and camelCase keys, as yargs gives them), or undefined
 */
export function fastArgs(
  argv: readonly string[],
  options: OptionTable,
): Record<string, unknown> | undefined {
  if (argv.some((arg) => /^(-h|--help|--version)(=|$)/.test(arg))) return undefined;
  if (flagProblem(argv, options)) return undefined;

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

/**
 * Refuses, before either parser runs (so both report it in the same words), a flag given more
 * than once (unless declared `array` or listed as repeatable), a boolean flag given a value other
 * than true or false (`--path-style=maybe`, which yargs would read as false), and a flag that
 * takes a value given without one (`--output-prefix` at the end, or followed by another flag). An explicit empty
 * value (`--prefix=` or `--prefix ""`) is a value. Flags after `--` are not flags.
 * @param argv - the arguments after the command words
 * @param options - the command's flags, when declared as data: which ones take a value
 * @param repeatable - flags that may be given more than once
 * @throws NimbleError E_INPUT `--NAME: given more than once` or `--NAME: needs a value`
 */
export function assertWellFormedFlags(
  argv: readonly string[],
  options: OptionTable = {},
  repeatable: readonly string[] = [],
): void {
  const problem = flagProblem(argv, options, repeatable);
  if (problem) throw inputError(`--${problem.name}`, problem.message);
}

/** The first repeated flag or flag without its value, as {@link assertWellFormedFlags} sees it. */
function flagProblem(
  argv: readonly string[],
  options: OptionTable,
  repeatable: readonly string[] = [],
): { name: string; message: string } | undefined {
  const end = argv.indexOf("--");
  const flags = end === -1 ? argv : argv.slice(0, end);
  const seen = new Set<string>();

  for (const [index, arg] of flags.entries()) {
    const name = flagName(arg, options);
    if (name === undefined || HELP_FLAGS.has(name)) continue;
    const option = options[name];
    const once = !(option?.array === true || repeatable.includes(name));
    if (once && seen.has(name)) return { name, message: "given more than once" };
    seen.add(name);
    if (option?.type === "boolean" && !isBooleanValue(arg))
      return { name, message: `takes true or false, not "${printable(arg.split("=")[1] ?? "")}"` };
    if (takesValue(option) && !arg.includes("=") && !isValue(flags[index + 1]))
      return { name, message: "needs a value" };
  }
  return undefined;
}

const HELP_FLAGS = new Set(["help", "version"]);

/** `--output-prefix`, `--outputPrefix=x` and `--no-documented` name one kebab-case flag. */
function flagName(arg: string, options: OptionTable): string | undefined {
  const name = /^--([^=]+)/.exec(arg)?.[1];
  if (name === undefined) return undefined;

  const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const negated = kebab.startsWith("no-") && options[kebab] === undefined;
  return negated ? kebab.slice(3) : kebab;
}

function takesValue(option: Options | undefined): boolean {
  if (option === undefined || option.type === "boolean" || option.type === "count") return false;
  return option.type !== undefined || option.choices !== undefined;
}

/** `--flag`, `--flag=true` and `--flag=false`: what yargs reads as a boolean; `=maybe` is not. */
function isBooleanValue(arg: string): boolean {
  const value = /^[^=]*=(.*)$/s.exec(arg)?.[1];
  return value === undefined || value === "true" || value === "false";
}

/** A value follows unless the next argument is missing or is itself a flag (`-5` is a value). */
function isValue(next: string | undefined): boolean {
  return next !== undefined && !/^-(?!\d)./.test(next);
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
