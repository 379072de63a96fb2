/**
 * The CLI's dispatcher: picks the command, loads only its module (start-up
 * stays small for `--version`), and maps any error to one `error:` line and
 * an exit code.
 *
 * @module
 */
import type { CliIo } from "./io.ts";
import { describeError, UsageError } from "./errors.ts";
import { VERSION } from "../version.ts";

/** Top-level `--help`. */
export const MAIN_HELP =
  `kitty-telemetry ${VERSION}: telemetry and LLM cost for AI coding-agent runs.

Usage: kitty-telemetry <command> [options]

Commands:
  emit      record an agent run in kitty-specs/<feature>/execution.events.jsonl
  cost      cost per agent, model, feature, wp, role or day
  query     print matching events as JSON lines
  report    write an HTML report of spend (one self-contained file)
  pricing   show the effective pricing table, or check a pricing file
  import    merge event logs from a file, another checkout or stdin into this project
  git-setup
            set up a git repository to merge logs and clock files (runs git)
  merge-driver
            git's merge driver for logs and clock files (set up by git-setup)
  verify    check every log (malformed lines, duplicates, clocks); --repair

Options:
  -h, --help     show help (also: kitty-telemetry <command> --help)
  -V, --version  print the version

Exit codes: 0 ok, 1 runtime or data failure, 2 bad usage or input.
Data goes to stdout, diagnostics to stderr.
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  emit: async () => (await import("./emit.ts")).emitCommand,
  cost: async () => (await import("./cost.ts")).costCommand,
  query: async () => (await import("./query.ts")).queryCommand,
  pricing: async () => (await import("./pricing.ts")).pricingCommand,
  import: async () => (await import("./import.ts")).importCommand,
  "git-setup": async () => (await import("./git_setup.ts")).gitSetupCommand,
  "merge-driver": async () => (await import("./merge_driver.ts")).mergeDriverCommand,
  verify: async () => (await import("./verify.ts")).verifyCommand,
  report: async () => (await import("./report.ts")).reportCommand,
};

/**
 * Runs the CLI with `args` and resolves to the exit code; never throws.
 *
 * @example
 * ```ts ignore
 * import { runCli } from "./run.ts";
 * const code = await runCli(["--version"], io);
 * ```
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  try {
    const [name, ...rest] = args;
    if (name === undefined) {
      await io.stderr(MAIN_HELP);
      return 2;
    }
    if (name === "-h" || name === "--help" || name === "help") {
      await io.stdout(MAIN_HELP);
      return 0;
    }
    if (name === "-V" || name === "--version") {
      await io.stdout(`kitty-telemetry ${VERSION}\n`);
      return 0;
    }
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load) {
      throw new UsageError(
        `unknown command ${JSON.stringify(name)} (commands: ${
          Object.keys(COMMANDS).join(", ")
        }; see --help)`,
      );
    }
    return await (await load())(rest, io);
  } catch (error) {
    const { code, message } = describeError(error);
    await io.stderr(message + "\n");
    return code;
  }
}
