import type { Argv } from "yargs";
import { isUsageError, NimbleError } from "../errors.js";
import { redact } from "../report/redact.js";
import type { CliIo } from "./io.js";
import { EXIT } from "./io.js";
import type { OptionTable } from "./fast-args.js";
import { assertWellFormedFlags, fastArgs } from "./fast-args.js";

/** A subcommand: its yargs definition and a handler that returns an exit code. */
export interface Command {
  command: string;
  describe: string;
  builder: (yargs: Argv) => Argv;
  run: (args: Record<string, unknown>, io: CliIo) => Promise<number>;
  /** Nested commands (`policy s3`); yargs runs only the innermost command's handler */
  subcommands?: Command[];
  /**
   * The flags as data (the builder should declare the same ones): lets a plain invocation skip
   * loading yargs (see fast-args.ts). Only for commands without subcommands.
   */
  options?: OptionTable;
  /**
   * Flags the command accepts more than once (`probe --read A --read B`). Any other flag given
   * twice is refused, for commands that declare `options` or `repeatable`.
   */
  repeatable?: readonly string[];
}

type CommandLoader = () => Promise<Command[]>;

const COMMANDS: Readonly<Record<string, CommandLoader>> = {
  policy: async () => (await import("./commands/policy.js")).commands,
  probe: async () => (await import("./commands/probe.js")).commands,
  audit: async () => (await import("./commands/audit.js")).commands,
};

/**
 * Runs the CLI. Only the bin script exits; this returns the exit code.
 * @param rawArgv - arguments without node and the script
 * @param io - where to write
 * @returns 0 when every check passed, 1 when one failed, 2 for usage errors
 */
export async function main(rawArgv: readonly string[], io: CliIo): Promise<number> {
  const argv = joinDashValues(rawArgv);
  if (argv[0] === "--version") return printVersion(io);
  const commands = await commandsFor(argv[0]);
  try {
    const fast = await runFast(commands, argv, io);
    if (fast !== undefined) return fast;
  } catch (error) {
    return reportError(error, io);
  }

  return runYargs(commands, argv, io);
}

/**
 * Checks the flags of the named command, then runs it without yargs when its flags are plain
 * and valid; undefined otherwise.
 */
async function runFast(
  commands: readonly Command[],
  argv: readonly string[],
  io: CliIo,
): Promise<number | undefined> {
  const { command, depth } = leafCommand(commands, argv);
  const flags = argv.slice(depth);
  if (command?.options || command?.repeatable)
    assertWellFormedFlags(flags, command.options, command.repeatable);
  const args = command?.options && fastArgs(flags, command.options);

  return command && args ? command.run(args, io) : undefined;
}

/** The innermost command the words of argv name, and how many words name it. */
function leafCommand(
  commands: readonly Command[],
  argv: readonly string[],
): { command: Command | undefined; depth: number } {
  let command = commands.find((c) => commandWord(c) === argv[0]);
  let depth = 1;
  while (command?.subcommands) {
    command = command.subcommands.find((c) => commandWord(c) === argv[depth]);
    depth += 1;
  }
  return { command, depth };
}

/**
 * `--version`: package.json's version, read only when asked, so no command's start pays for it.
 * The file sits two levels above this module in src/cli, dist/cli and dist/bundle alike.
 */
async function printVersion(io: CliIo): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const text = await readFile(new URL("../../package.json", import.meta.url), "utf8");
  const { version } = JSON.parse(text) as { version?: unknown };
  io.stdout(`${typeof version === "string" ? version : "unknown"}\n`);
  return EXIT.ok;
}

/** The word that names a command: `audit` of `audit [target]`. */
function commandWord(command: Command): string {
  return command.command.split(" ")[0] ?? "";
}

async function runYargs(commands: readonly Command[], argv: string[], io: CliIo): Promise<number> {
  const { default: yargs } = await import("yargs");
  let exitCode: number = EXIT.ok;
  const parser = yargs([...argv])
    .scriptName("nimble-bucket")
    .usage(
      "$0 <command>\n\nGet a bucket ready for Nimble's data delivery, and prove that it is ready.",
    )
    .strict()
    .demandCommand(1, "Name a command: policy, probe or audit.")
    .recommendCommands()
    .example("$0 policy s3 --bucket example-bucket", "Nimble's Jobs bucket policy (JSON)")
    .example("$0 probe --read s3://example-bucket/", "Test a path like Nimble's Test Connection")
    .example("$0 audit --help", "A command's flags, with examples")
    .help()
    .alias("h", "help")
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? usageError(message);
    });

  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  for (const command of commands) register(parser, command, io, setExitCode);

  try {
    const output = await captureOutput(parser, argv);
    if (output) io.stdout(output.endsWith("\n") ? output : `${output}\n`);
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function register(
  parser: Argv,
  command: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const builder = (yargs: Argv): Argv => {
    const built = command.builder(yargs);
    for (const sub of command.subcommands ?? []) register(built, sub, io, setExitCode);
    return built;
  };
  parser.command(command.command, command.describe, builder, async (args) => {
    setExitCode(await command.run(args, io));
  });
}

/**
 * yargs reads a lone `-` after an option as a positional argument, not as its value; `--merge -`
 * (stdin) must mean `--merge=-`.
 */
function joinDashValues(argv: readonly string[]): string[] {
  const result: string[] = [];
  for (const arg of argv) {
    const previous = result.at(-1);
    if (arg === "-" && previous?.startsWith("--") && !previous.includes("=")) {
      result[result.length - 1] = `${previous}=-`;
    } else {
      result.push(arg);
    }
  }
  return result;
}

/** Loads only the command that was named, so `policy` never imports the AWS SDK. */
async function commandsFor(name: string | undefined): Promise<Command[]> {
  const loader = name === undefined ? undefined : COMMANDS[name];
  if (loader) return loader();

  const all = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return all.flat();
}

async function captureOutput(parser: Argv, argv: readonly string[]): Promise<string> {
  let output = "";
  await parser.parseAsync([...argv], {}, (_error, _args, text) => {
    output = text;
  });
  return output;
}

/** yargs' message in one line; a missing value in the same words as assertWellFormedFlags. */
function usageError(message: string): NimbleError {
  const flag = /^Not enough arguments following: (\S+)$/.exec(message.trim())?.[1];
  if (flag !== undefined)
    return new NimbleError("E_INPUT", `--${flag}: needs a value`, `--${flag}`);
  return new NimbleError("E_USAGE", message.replace(/\s*\n\s*/g, " "));
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof NimbleError) {
    io.stderr(`nimble-bucket: ${redact(error.message, io.env)}\n`);
    return isUsageError(error) ? EXIT.usage : EXIT.failed;
  }

  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`nimble-bucket: unexpected error: ${redact(message.split("\n")[0] ?? "", io.env)}\n`);
  return EXIT.failed;
}
