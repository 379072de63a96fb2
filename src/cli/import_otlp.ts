/**
 * `import --from otlp-json FILE|-`: agents' OpenTelemetry log records (and
 * this tool's own `export --signal logs`) into the per-feature ledger. Each
 * record's event id comes from its identity, so importing a dump twice adds
 * nothing. Read a line at a time; written in locked batches per feature.
 *
 * @module
 */
import { resolve } from "node:path";
import { type IngestedRecord, ingestLogsData } from "../export/otlp_ingest.ts";
import { readLines } from "../read/line_reader.ts";
import { ProjectLayout, validateFeatureSlug } from "../store/project_layout.ts";
import { recordExecutions } from "../store/recorder.ts";
import type { ExecutionRecord } from "../event/execution.ts";
import { parseFlags, resolveRoot, rootHelp } from "./args.ts";
import { defaultNodeId, givenNodeId } from "./emit.ts";
import { validateInput } from "./emit_input.ts";
import type { CliIo } from "./io.ts";
import { UsageError } from "./errors.ts";
import { InvalidInputError } from "../errors.ts";
import { warningSink } from "./warnings.ts";

/** The `--from` formats of `import`. */
export const IMPORT_FORMATS = ["otlp-json"] as const;

/** `import --from otlp-json --help`. */
export const IMPORT_OTLP_HELP = `Import agents' OpenTelemetry log records as execution events.

Usage: kitty-telemetry import --from otlp-json FILE|- [--feature SLUG] [--wp WP] [--role ROLE]
                          [--agent NAME]

Reads OTLP/JSON log lines (one LogsData object per line, as a Collector's file
exporter writes them) and records:
  claude_code.api_request   Claude Code's API requests (agent claude)
  codex.sse_event           Codex's response.completed events (agent codex)
  kitty.execution           this tool's own export --signal logs (the round trip)
Records of other kinds are counted and skipped. A record's feature, work package
and role come from its kitty.feature, kitty.wp and kitty.role attributes (record
or resource), else from the flags. Event ids derive from each record's identity:
importing the same dump twice adds nothing.

Options:
  --from otlp-json  the input format
  --feature SLUG    feature of records that do not name one
  --wp WP           work package of records that do not name one (default N/A)
  --role ROLE       role of records that do not name one (required for agents' records)
  --agent NAME      agent of kitty.execution records that name none (an export leaves
                    out an agent name the tool reads as unknown)
  --node-id ID      the writer's node id (default: as emit)
${rootHelp(20, { requireProject: true })}
  -h, --help        show this help

Prints per feature: events added and already present.
`;

const OPTIONS = {
  from: { type: "string" },
  feature: { type: "string" },
  wp: { type: "string" },
  role: { type: "string" },
  agent: { type: "string" },
  "node-id": { type: "string" },
  root: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * The longest line read (a Collector writes one batch per line; a bigger one
 * is refused, not buffered): above the longest line `export` writes, 1,000
 * items whose texts are all escapes (33 MB), so that its own logs come back.
 */
export const OTLP_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Records held before a locked write. */
const FLUSH_RECORDS = 10_000;

/** Runs `import --from …`; resolves to the exit code. */
export async function importOtlpCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS, true);
  if (values.help) {
    await io.stdout(IMPORT_OTLP_HELP);
    return 0;
  }
  if (!(IMPORT_FORMATS as readonly string[]).includes(values.from ?? "")) {
    throw new UsageError(
      `--from: expected one of ${IMPORT_FORMATS.join(", ")}, got ${JSON.stringify(values.from)}`,
    );
  }
  if (positionals.length !== 1) {
    throw new UsageError("import --from otlp-json takes one FILE, or - for stdin");
  }
  if (values.feature !== undefined) validateFeatureSlug(values.feature);
  const root = await resolveRoot(io, values.root, { requireProject: true });
  const layout = new ProjectLayout(root);
  const warnings = warningSink(io);
  const nodeId = givenNodeId(values["node-id"], io) ?? defaultNodeId(io.hostname(), root);
  const [source] = positionals;
  const stream = source === "-" ? io.stdin : await fileStream(resolve(io.cwd, source));
  const counts = new Map<string, { added: number; present: number }>();
  let pending: { record: IngestedRecord; input: ExecutionRecord; at: string }[] = [];
  let skipped = 0;
  const flush = async () => {
    const byFeature = Map.groupBy(pending, (p) => p.record.feature ?? values.feature!);
    pending = [];
    for (const [feature, items] of byFeature) {
      const recorded = await recordExecutions(layout, feature, items.map((i) => i.input), {
        nodeId,
        now: () => io.now(),
        newId: () => io.newId(),
        onWarning: warnings.warn,
        timestamps: items.map((i) => i.record.timestamp),
      });
      const c = counts.get(feature) ?? { added: 0, present: 0 };
      for (const [index, r] of recorded.entries()) {
        if (r.written) c.added++;
        else {
          c.present++;
          const differs = differingFields(r.event.payload, items[index].input);
          if (differs.length > 0) {
            warnings.warn(
              `${items[index].at}: event ${r.event.event_id} is already in ${feature} with other ` +
                `content (${differs.join(", ")}); kept the stored event, not this record`,
            );
          }
        }
      }
      counts.set(feature, c);
    }
  };
  const input = source === "-" ? "stdin" : source;
  const reader = readLines(stream, { fatal: true, maxLineBytes: OTLP_MAX_LINE_BYTES });
  let lastLine = 0;
  while (true) {
    let next;
    try {
      next = await reader.next();
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw new UsageError(
        `${input}: not valid UTF-8 at or after line ${lastLine + 1} (${error.message}); ` +
          `convert the dump to UTF-8 (OTLP/JSON is UTF-8)`,
      );
    }
    if (next.done) break;
    const line = next.value;
    lastLine = line.number;
    const at = `${input} line ${line.number}`;
    if (line.oversize) {
      throw new UsageError(
        `${at}: longer than ${OTLP_MAX_LINE_BYTES / 1024 / 1024} MiB; split the dump into ` +
          `smaller LogsData lines (fewer records per batch)`,
      );
    }
    if (line.text.trim() === "") continue;
    let data: unknown;
    try {
      data = JSON.parse(line.text);
    } catch (error) {
      throw new UsageError(`${at}: not JSON (${(error as Error).message})`);
    }
    const notLogs = notLogsData(data);
    if (notLogs !== undefined) {
      throw new UsageError(
        `${at}: not OTLP/JSON logs (${notLogs}; expected a LogsData object, {"resourceLogs": ` +
          `[...]}); give the records of a logs pipeline (a Collector's file exporter, or \`export --signal logs\`)`,
      );
    }
    let found;
    try {
      found = ingestLogsData(data);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      throw new UsageError(`${at}: ${error.message}`);
    }
    skipped += found.skipped;
    for (const record of found.records) {
      pending.push({ record, input: await toInput(record, values, at, warnings.warn), at });
    }
    if (pending.length >= FLUSH_RECORDS) await flush();
  }
  await flush();
  await warnings.flush();
  const lines = [...counts].map(([feature, c]) =>
    `${feature}: ${c.added} added, ${c.present} already present\n`
  );
  await io.stdout(lines.join("") || "nothing imported\n");
  if (skipped > 0) await io.stderr(`import: ${skipped} log record(s) of other kinds skipped\n`);
  return 0;
}

async function toInput(
  record: IngestedRecord,
  flags: { feature?: string; wp?: string; role?: string; agent?: string },
  at: string,
  warn: (message: string) => void,
): Promise<ExecutionRecord> {
  const feature = record.feature ?? flags.feature;
  if (feature === undefined) {
    throw new UsageError(`${at}: a ${record.source} record names no kitty.feature; pass --feature`);
  }
  try {
    validateFeatureSlug(feature);
  } catch (error) {
    if (!(error instanceof InvalidInputError) || record.feature === undefined) throw error;
    // The record's own kitty.feature: say where it is, as for every other bad record.
    throw new UsageError(`${at}: kitty.feature: ${error.message}`);
  }
  record.feature = feature;
  const fields = { ...record.fields };
  if (fields.wp_id === undefined && flags.wp !== undefined) fields.wp_id = flags.wp;
  if (fields.role === undefined) {
    if (flags.role === undefined) {
      throw new UsageError(`${at}: a ${record.source} record names no kitty.role; pass --role`);
    }
    fields.role = flags.role;
  }
  if (fields.agent === undefined || fields.agent === null) {
    if (flags.agent === undefined) {
      throw new UsageError(
        `${at}: a ${record.source} record names no gen_ai.agent.name; pass --agent NAME`,
      );
    }
    fields.agent = flags.agent;
  }
  return await validateInput(fields, (field) => `${at}: ${field}`, warn) as ExecutionRecord;
}

/** What a parsed line is instead of a LogsData object (traces, metrics, no object), if it is not one. */
function notLogsData(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return `a JSON ${data === null ? "null" : Array.isArray(data) ? "array" : typeof data}`;
  }
  const logs = (data as Record<string, unknown>).resourceLogs;
  if (logs !== undefined && !Array.isArray(logs)) return `"resourceLogs" is not a list`;
  if (logs !== undefined) return undefined;
  if ("resourceSpans" in data) return "traces: resourceSpans";
  if ("resourceMetrics" in data) return "metrics: resourceMetrics";
  return undefined;
}

/** The payload fields `input` gives that `stored` holds otherwise. */
function differingFields(stored: object, input: ExecutionRecord): string[] {
  const { event_id: _id, event_type: _type, causation_id: _cause, ...given } = input;
  const held = stored as Record<string, unknown>;
  return Object.entries(given).filter(([key, value]) =>
    value !== undefined && JSON.stringify(held[key] ?? null) !== JSON.stringify(value)
  ).map(([key]) => key);
}

/** The dump's bytes: a file, or a pipe (`<(zcat dump.gz)`); never a log's policy of regular files only. */
async function fileStream(path: string): Promise<ReadableStream<Uint8Array>> {
  let file: Deno.FsFile;
  try {
    if ((await Deno.stat(path)).isDirectory) {
      throw new UsageError(
        `${path}: is a folder, not a file (give the dump's file, or - for stdin)`,
      );
    }
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new UsageError(`no such file: ${path}`);
    throw error;
  }
  return file.readable;
}
