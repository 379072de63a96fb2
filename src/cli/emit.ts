/**
 * `kitty-telemetry emit`: record one execution event (flags) or a batch
 * (`--stdin`, one JSON object per line).
 *
 * @module
 */
import {
  ENVELOPE_FIELDS,
  type FieldKind,
  flagOf,
  INPUT_ENVELOPE_KEYS,
  PAYLOAD_FIELDS,
  PAYLOAD_KEYS,
} from "../event/fields.ts";
import { isName, KIND_WORDING, NUMBER_RANGES } from "../event/field_checks.ts";
import { encodeEvent } from "../event/line_encode.ts";
import { ProjectLayout, validateFeatureSlug } from "../store/project_layout.ts";
import { recordExecutions } from "../store/recorder.ts";
import { parseDecimal, parseFlags, parseInteger, resolveRoot, rootHelp } from "./args.ts";
import { type CliIo, ENV } from "./io.ts";
import { describeError, UsageError } from "./errors.ts";
import { warningSink } from "./warnings.ts";
import { inputsFromStdin, normalizeId, validateInput } from "./emit_input.ts";
import { CLI_MODULES, loadModule } from "../dynamic_modules.ts";

/** The rows `emit` has a flag for: payload fields, then the ids a caller may choose. */
const FLAGGED = [...PAYLOAD_FIELDS, ...ENVELOPE_FIELDS].filter((
  f,
): f is Extract<typeof f, { flag: string }> => "flag" in f);

/** How a flag's text becomes a value of its row's kind. */
// The bounds are the field table's (`NUMBER_RANGES`), so a flag refuses
// what the event's check would, with the bound in the message.
const FROM_TEXT: Partial<Record<FieldKind, (flag: string, text: string) => unknown>> = {
  count: (flag, text) => parseInteger(flag, text, NUMBER_RANGES.count.min, NUMBER_RANGES.count.max),
  id: (_flag, text) => normalizeId(text),
  usd: (flag, text) => parseDecimal(flag, text, NUMBER_RANGES.usd.max),
  integer: (flag, text) =>
    parseInteger(flag, text, NUMBER_RANGES.integer.min, NUMBER_RANGES.integer.max),
};

const VALUE_HINT: Partial<Record<FieldKind, string>> = {
  name: "NAME",
  count: "N",
  usd: "X",
  text: "TEXT",
  integer: "N",
  id: "ID",
};

const FIELD_HELP = FLAGGED.map((f) => {
  const name = `  --${f.flag} ${VALUE_HINT[f.kind] ?? ""}`;
  // A flag too long for its column gets a line of its own, as in every help.
  const flag = name.length < 26 ? name.padEnd(26) : `${name}\n${" ".repeat(26)}`;
  // Ids are optional: the tool mints them.
  const required = !("default" in f) && f.kind !== "id";
  return required ? `${flag}${f.help.padEnd(47)}required` : `${flag}${f.help}`;
}).join("\n");

/** The keys a `--stdin` line may hold, wrapped to the help's column. */
const STDIN_KEYS = [...PAYLOAD_KEYS, ...INPUT_ENVELOPE_KEYS].reduce((lines, key, i, all) => {
  const word = i < all.length - 1 ? `${key},` : key;
  const last = lines.length - 1;
  if (lines[last].length + word.length + 1 > 54) lines.push(word);
  else lines[last] += lines[last] === "" ? word : ` ${word}`;
  return lines;
}, ["keys:"]).join(`\n${" ".repeat(26)}`);

/** `emit --help`. */
export const EMIT_HELP = `Record an agent run as an execution event.

Usage:
  kitty-telemetry emit --feature SLUG --agent NAME --role ROLE [fields] [options]
  kitty-telemetry emit --feature SLUG --stdin [fields as defaults] [options]
  kitty-telemetry emit --feature SLUG --role ROLE --from FORMAT [--from-file PATH] [fields]

Fields:
${FIELD_HELP}
  --failure               the run failed (default: success)

Options:
  --stdin                 read one JSON object per line; flags given fill keys a
                          line lacks; one bad line rejects the whole batch;
                          ${STDIN_KEYS}
  --from FORMAT           read an agent's own output (stdin, or --from-file PATH):
                          claude-json (claude -p --output-format json or stream-json),
                          codex-jsonl (codex exec --json), gemini-json
                          (gemini --output-format json); one event per model it
                          reports; --agent defaults to claude/codex/gemini and flags
                          fill what the output lacks (e.g. --model for Codex)
  --best-effort           never fail the caller: report any error on stderr, exit 0
                          (still all-or-nothing: a failed emit writes nothing)
  --node-id ID            node id for the event and its clock
                          (default: $${ENV.nodeId}, else host name + checkout hash)
${rootHelp(26, { requireProject: true })}
  --json                  print the stored events as JSON lines
  --check-budgets         then warn on stderr for each budget of .kittify/budgets.yaml
                          the events count towards that warns or is over (never
                          fails the emit; see \`kitty-telemetry budget\`)
  -h, --help              show this help

Prints the event id of each recorded event (or the events with --json).
Exit codes: 0 recorded (or already recorded), 1 I/O failure, 2 bad input.
`;

const OPTIONS = {
  feature: { type: "string" },
  ...Object.fromEntries(FLAGGED.map((f) => [f.flag, { type: "string" as const }])),
  failure: { type: "boolean" },
  "node-id": { type: "string" },
  root: { type: "string" },
  stdin: { type: "boolean" },
  from: { type: "string" },
  "from-file": { type: "string" },
  "best-effort": { type: "boolean" },
  json: { type: "boolean" },
  "check-budgets": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Runs `emit`; resolves to the exit code. With `--best-effort` any failure
 * is reported on stderr and the exit code is 0 (fire-and-forget callers).
 */
export async function emitCommand(args: string[], io: CliIo): Promise<number> {
  // Read before parsing: a bad flag must not fail a best-effort caller either.
  const bestEffort = args.includes("--best-effort");
  try {
    return await emit(args, io);
  } catch (error) {
    if (!bestEffort) throw error;
    const { message } = describeError(error);
    await io.stderr(`${message} (best effort: nothing written, exit 0)\n`);
    return 0;
  }
}

async function emit(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    await io.stdout(EMIT_HELP);
    return 0;
  }
  if (values.feature === undefined) {
    throw new UsageError("--feature is required (a folder name like 043-my-feature)");
  }
  validateFeatureSlug(values.feature);
  const nodeId = givenNodeId(values["node-id"], io);
  // Before any input is read: a command that cannot write says so first.
  const root = await resolveRoot(io, values.root, { requireProject: true });

  const defaults = fieldsFromFlags(values);
  const warnings = warningSink(io);
  // Loaded only for --from: the adapters bring the schema library along.
  const from = values.from !== undefined
    ? await loadModule<typeof import("./emit_from.ts")>(CLI_MODULES.emit_from)
    : undefined;
  const inputs = from !== undefined
    ? await from.inputsFromAgentOutput(
      values.from!,
      await from.readAgentOutput(io, values["from-file"], values.stdin),
      defaults,
      warnings.warn,
    )
    : values.stdin
    ? await inputsFromStdin(io.stdin, defaults, warnings.warn)
    : [await validateInput(defaults, flagOf, warnings.warn)];

  const records = await recordExecutions(new ProjectLayout(root), values.feature, inputs, {
    nodeId: nodeId ?? defaultNodeId(io.hostname(), root),
    now: () => io.now(),
    newId: () => io.newId(),
    onWarning: warnings.warn,
  }).finally(() => warnings.flush());
  const out = records.map((r) => values.json ? encodeEvent(r.event) : r.event.event_id);
  if (out.length > 0) await io.stdout(out.join("\n") + "\n");
  if (values["check-budgets"]) {
    const { warnOnBudgets } = await loadModule<typeof import("./budget.ts")>(CLI_MODULES.budget);
    await warnOnBudgets(io, root, records.map((r) => r.event));
  }
  return 0;
}

type Values = ReturnType<typeof parseFlags<typeof OPTIONS>>["values"];

function fieldsFromFlags(values: Values): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const text = values as Record<string, string | undefined>;
  for (const f of FLAGGED) {
    const given = text[f.flag];
    if (given !== undefined) fields[f.key] = FROM_TEXT[f.kind]?.(`--${f.flag}`, given) ?? given;
  }
  if (values.failure) {
    fields.success = false;
    fields.exit_code ??= 1;
  }
  return fields;
}

/**
 * The node id asked for: `--node-id`, else `$KITTY_TELEMETRY_NODE_ID`, else
 * undefined (the default is made from the host name). A bad one is a usage
 * error naming where it came from (the variable is easy to forget).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { givenNodeId } from "./emit.ts";
 * const io = { env: () => "a\tb" } as never;
 * assert.throws(() => givenNodeId(undefined, io), /^UsageError: \$KITTY_TELEMETRY_NODE_ID: expected/);
 * assert.equal(givenNodeId("n1", io), "n1");
 * ```
 */
export function givenNodeId(flag: string | undefined, io: Pick<CliIo, "env">): string | undefined {
  const [nodeId, source] = flag === undefined
    ? [io.env(ENV.nodeId), `$${ENV.nodeId}`]
    : [flag, "--node-id"];
  if (nodeId !== undefined && !isName(nodeId)) {
    throw new UsageError(`${source}: expected ${KIND_WORDING.name}`);
  }
  return nodeId;
}

/**
 * A node id stable for one machine and checkout: the host name plus a short
 * hash of the project root, so two clones on one machine stay distinct.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultNodeId } from "./emit.ts";
 * assert.ok(defaultNodeId("box", "/repo") === defaultNodeId("box", "/repo"));
 * ```
 */
export function defaultNodeId(hostname: string, root: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(root)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  const host = hostname.replace(/[^A-Za-z0-9._-]/g, "") || "host";
  return `${host}-${hash.toString(16).padStart(8, "0")}`;
}
