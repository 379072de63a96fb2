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
import { GROUP_KEYS } from "../cost/group_keys.ts";
import { didYouMean } from "./suggest.ts";
import { CLI_MODULES as CLI, loadModule as load } from "../dynamic_modules.ts";

/** Top-level `--help`. */
export const MAIN_HELP =
  `kitty-telemetry ${VERSION}: telemetry and LLM cost for AI coding-agent runs.

Usage: kitty-telemetry <command> [options]

Commands:
  emit      record an agent run in kitty-specs/<feature>/execution.events.jsonl
  cost      cost grouped by any of: ${GROUP_KEYS.join(", ")}
  query     print matching events as JSON lines (or a line each: --format table)
  report    write an HTML report of spend (one self-contained file)
  pricing   show the effective pricing table, or check a pricing file
  import    merge event logs from a file, another checkout or stdin into this project
  git-setup
            set up a git repository to merge logs and clock files (runs git)
  merge-driver
            git's merge driver for logs and clock files (set up by git-setup)
  verify    check every log (malformed lines, duplicates, clocks); --repair
  export    execution events as OpenTelemetry traces, logs or metrics (file or OTLP/HTTP)
  budget    spend against the budgets in .kittify/budgets.yaml; exit 3 when one is over

Options:
  -h, --help     show help (also: kitty-telemetry <command> --help, or
                 kitty-telemetry help <command>: the same text)
  -V, --version  print the version

Exit codes: 0 ok, 1 runtime or data failure, 2 bad usage or input, 3 over budget.
Data goes to stdout, diagnostics to stderr.
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

// By URL (see CLI_MODULES): start-up builds no command's module graph.
const COMMANDS: Record<string, () => Promise<Command>> = {
  emit: async () => (await load<typeof import("./emit.ts")>(CLI.emit)).emitCommand,
  cost: async () => (await load<typeof import("./cost.ts")>(CLI.cost)).costCommand,
  query: async () => (await load<typeof import("./query.ts")>(CLI.query)).queryCommand,
  pricing: async () => (await load<typeof import("./pricing.ts")>(CLI.pricing)).pricingCommand,
  import: async () => (await load<typeof import("./import.ts")>(CLI.import)).importCommand,
  "git-setup": async () =>
    (await load<typeof import("./git_setup.ts")>(CLI.git_setup)).gitSetupCommand,
  "merge-driver": async () =>
    (await load<typeof import("./merge_driver.ts")>(CLI.merge_driver)).mergeDriverCommand,
  verify: async () => (await load<typeof import("./verify.ts")>(CLI.verify)).verifyCommand,
  export: async () => (await load<typeof import("./export.ts")>(CLI.export)).exportCommand,
  budget: async () => (await load<typeof import("./budget.ts")>(CLI.budget)).budgetCommand,
  report: async () => (await load<typeof import("./report.ts")>(CLI.report)).reportCommand,
};

/** Every command's name (what `help COMMAND` and did-you-mean know). */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

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
    if (name === "help" && rest.length > 0) {
      // `help COMMAND` is `COMMAND --help`: one text, so the two cannot disagree.
      return await (await commandOf(rest[0]))(["--help"], io);
    }
    if (name === "-h" || name === "--help" || name === "help") {
      await io.stdout(MAIN_HELP);
      return 0;
    }
    if (name === "-V" || name === "--version") {
      await io.stdout(`kitty-telemetry ${VERSION}\n`);
      return 0;
    }
    return await (await commandOf(name))(rest, io);
  } catch (error) {
    const { code, message } = describeError(error);
    await io.stderr(message + "\n");
    return code;
  }
}

async function commandOf(name: string): Promise<Command> {
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    const names = COMMAND_NAMES;
    throw new UsageError(
      `unknown command ${JSON.stringify(name)}${didYouMean(name, names)} (commands: ${
        names.join(", ")
      }; see --help)`,
    );
  }
  return await load();
}
