/**
 * `kitty-telemetry import`: merge event logs from elsewhere (a file, another
 * checkout, stdin) into this project's logs, with the merge git's driver uses.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { parseClockText } from "../clock/clock_file.ts";
import type { ClockState } from "../clock/lamport.ts";
import { describeConflict } from "../merge/merge_logs.ts";
import { importIntoFeature, type ImportOutcome } from "../merge/import_feature.ts";
import type { LogInput } from "../merge/parsed_log.ts";
import { routeLines } from "../merge/route_lines.ts";
import { decodeUtf8, readUtf8 } from "../merge/read_text.ts";
import { importStreamed, inputBytes, singleInput, type StreamedImport } from "./import_stream.ts";
import { importSorted } from "./import_sorted.ts";
import {
  CLOCK_FILE,
  LOG_FILE,
  ProjectLayout,
  SPECS_DIR,
  validateFeatureSlug,
} from "../store/project_layout.ts";
import { parseFlags, resolveRoot } from "./args.ts";
import type { CliIo } from "./io.ts";
import { osFix, osReason, UsageError } from "./errors.ts";
import { warningSink } from "./warnings.ts";
import { IMPORT_HELP } from "./import_help.ts";
import { withProgress } from "./progress.ts";
import { CLI_MODULES, loadModule } from "../dynamic_modules.ts";

export { IMPORT_HELP };

const OPTIONS = {
  feature: { type: "string" },
  "route-by-feature": { type: "boolean" },
  root: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

interface Plan {
  sources: Map<string, LogInput[]>;
  clocks: Map<string, ClockState[]>;
  /** `--route-by-feature`: events of other features go to their own logs. */
  route: boolean;
}

/** Runs `import`; resolves to the exit code. */
export async function importCommand(args: string[], io: CliIo): Promise<number> {
  // Agents' OpenTelemetry dumps are records to turn into events, not logs to merge.
  if (args.some((a) => a === "--from" || a.startsWith("--from="))) {
    const otlp = await loadModule<typeof import("./import_otlp.ts")>(CLI_MODULES.import_otlp);
    return await otlp.importOtlpCommand(args, io);
  }
  const { values, positionals } = parseFlags(args, OPTIONS, true);
  if (values.help) {
    await io.stdout(IMPORT_HELP);
    return 0;
  }
  if (positionals.length === 0) {
    throw new UsageError("import: expected at least one PATH (see --help)");
  }
  if (positionals.filter((p) => p === "-").length > 1) {
    throw new UsageError("import: - given twice");
  }
  if (values.feature !== undefined) validateFeatureSlug(values.feature);
  const root = await resolveRoot(io, values.root, { requireProject: true });
  const warnings = warningSink(io);
  const plan: Plan = {
    sources: new Map(),
    clocks: new Map(),
    route: values["route-by-feature"] ?? false,
  };
  const layout = new ProjectLayout(root);
  // One file or stdin is first tried as a stream (appends, never held whole).
  const single = positionals.length === 1 ? await singleInput(io, positionals[0]) : undefined;
  const outcomes: ImportOutcome[] = [];
  try {
    const total = () => inputBytes(io, positionals, single?.stdinCopy);
    await withProgress(io, total, async () => {
      let streamed: StreamedImport = { outcomes: [], rest: null, mixed: false };
      const label = positionals[0] === "-" ? "stdin" : positionals[0];
      if (single) {
        streamed = await importStreamed(
          layout,
          single.open,
          values.feature,
          plan.route,
          warnings.warn,
          label,
        );
        outcomes.push(...streamed.outcomes);
      }
      // Other checkouts, and what the append left, are streamed too (null: not for the stream).
      const sorted = await importSorted(io, layout, {
        paths: positionals,
        single: single && { open: single.open, label, streamed },
        feature: values.feature,
        route: plan.route,
      }, warnings.warn);
      if (sorted !== null) outcomes.push(...sorted);
      else if (streamed.rest === null || streamed.rest.size > 0) {
        for (const path of positionals) {
          await addSource(plan, path, values.feature, io, warnings.warn, single?.stdinCopy);
        }
      }
      for (const feature of [...plan.sources.keys()].sort()) {
        if (streamed.rest !== null && !streamed.rest.has(feature)) continue;
        outcomes.push(
          await importIntoFeature(
            layout,
            feature,
            plan.sources.get(feature)!,
            plan.clocks.get(feature) ?? [],
            warnings.warn,
          ),
        );
      }
      outcomes.sort((a, b) => (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
    }, { verb: "importing" });
  } finally {
    await warnings.flush();
    await single?.cleanup();
  }
  const failed = outcomes.filter((o) => o.conflicts.length > 0);
  for (const o of failed) {
    await io.stderr(
      o.conflicts.map((c) => `conflict: ${o.feature}: ${describeConflict(c)}\n`).join(""),
    );
  }
  await io.stdout(values.json ? summaryJson(outcomes) : summaryText(outcomes));
  if (failed.length === 0) return 0;
  const where = failed.map((o) => o.feature).join(", ");
  // An input that holds one id with two contents is the caller's to fix:
  // importing it again cannot succeed (exit 1 would mean "retry").
  if (failed.some((o) => o.inInput)) {
    await io.stderr(
      `error: the input holds one event_id with different content (lines named above); ` +
        `nothing changed in ${where}: keep one version of each event, then import again\n`,
    );
    return 2;
  }
  await io.stderr(
    `error: conflicts in ${where}: nothing changed there; the input and the log hold one ` +
      `event_id with different content (lines named above): keep one version of each event ` +
      `(edit the input, or the log line and run kitty-telemetry verify), then import again\n`,
  );
  return 1;
}

async function addSource(
  plan: Plan,
  path: string,
  feature: string | undefined,
  io: CliIo,
  warn: (message: string) => void,
  stdinCopy?: string,
): Promise<void> {
  if (path === "-") {
    const bytes = stdinCopy === undefined
      ? new Uint8Array(await new Response(io.stdin).arrayBuffer())
      : await Deno.readFile(stdinCopy);
    const text = decodeUtf8(bytes, "stdin");
    return splitByFeature(plan, { label: "stdin", text }, feature, warn, "--feature");
  }
  const full = resolve(io.cwd, path);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(full);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`${path}: no such file or folder`);
    }
    throw new UsageError(
      `${path}: cannot read it (${osReason(error)}); ${osFix(error) ?? "check it"}`,
    );
  }
  // Anything but a folder is read as a file, which refuses what is not a
  // regular one (a FIFO would only block; stdin is "-").
  if (!info.isDirectory) {
    return splitByFeature(
      plan,
      { label: path, text: (await readUtf8(full)) ?? "" },
      feature,
      warn,
      "--feature",
    );
  }
  const other = new ProjectLayout(full);
  const features = await other.features();
  if (!(await isDirectory(other.specsDir))) {
    throw new UsageError(`${path}: a folder must hold ${SPECS_DIR}/ (see --help)`);
  }
  for (const name of features) {
    if (feature !== undefined && name !== feature) continue;
    const dir = join(path, SPECS_DIR, name);
    const log = await readUtf8(join(full, SPECS_DIR, name, LOG_FILE));
    if (log !== null) {
      splitByFeature(
        plan,
        { label: join(dir, LOG_FILE), text: log },
        name,
        warn,
        "its log's folder",
      );
    }
    const clock = await readUtf8(join(full, SPECS_DIR, name, CLOCK_FILE));
    if (clock !== null) {
      const read = parseClockText(clock);
      if (read.corrupt !== undefined) warn(`${join(dir, CLOCK_FILE)}: corrupt (${read.corrupt})`);
      if (log !== null) add(plan.clocks, name, read.state);
    }
  }
}

/**
 * Sends each line of an input to its feature (see `routeLines`). An event of
 * another feature than `feature` (which `source` names for the message) is a
 * usage error unless the plan routes by feature. Line numbers in messages
 * stay those of the input.
 */
function splitByFeature(
  plan: Plan,
  input: LogInput,
  feature: string | undefined,
  warn: (message: string) => void,
  source: string,
): void {
  const { routes, foreign } = routeLines(input, feature, plan.route);
  if (foreign) {
    throw new UsageError(
      `import: ${input.label}:${foreign.lineNumber}: event ${foreign.eventId} belongs to ` +
        `feature ${foreign.aggregateId} (its aggregate_id), not ${feature}` +
        (source === "--feature" ? "; " : `, ${source}; `) +
        "nothing imported. Add --route-by-feature to write each event into its own feature's log" +
        (source === "--feature" ? ", or leave out --feature" : ""),
    );
  }
  if (routes.length === 0) {
    if (input.text.trim() !== "") {
      throw new UsageError(`${input.label}: no valid event to take a feature from; give --feature`);
    }
    return warn(`${input.label}: no events`);
  }
  for (const [name, routed] of routes) {
    validateFeatureSlug(name);
    add(plan.sources, name, routed);
  }
}

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  map.set(key, [...(map.get(key) ?? []), value]);
}

function summaryText(outcomes: ImportOutcome[]): string {
  if (outcomes.length === 0) return "nothing to import\n";
  return outcomes.map((o) =>
    `${o.feature}: ${o.added} added, ${o.alreadyPresent} already present, ` +
    `${o.conflicts.length} conflicting${
      o.conflicts.length > 0 ? " (aborted, nothing changed)" : ""
    }\n`
  ).join("");
}

function summaryJson(outcomes: ImportOutcome[]): string {
  const features = outcomes.map((o) => ({
    feature: o.feature,
    added: o.added,
    already_present: o.alreadyPresent,
    conflicting: o.conflicts.length,
    changed: o.changed,
  }));
  const sum = (key: "added" | "already_present" | "conflicting") =>
    features.reduce((total, f) => total + f[key], 0);
  return JSON.stringify({
    features,
    added: sum("added"),
    already_present: sum("already_present"),
    conflicting: sum("conflicting"),
  }) + "\n";
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}
