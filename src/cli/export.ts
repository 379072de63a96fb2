/**
 * `kitty-telemetry export`: execution events as OpenTelemetry (OTLP/JSON),
 * to a file the Collector's `otlpjsonfile` receiver reads, or pushed to an
 * OTLP/HTTP endpoint with a record of the ids sent, so a re-run sends only new events.
 *
 * @module
 */
import { basename } from "node:path";
import { ProjectLayout } from "../store/project_layout.ts";
import { EXECUTION_EVENT } from "../event/fields.ts";
import { type Signal, SIGNALS } from "../export/otlp_encode.ts";
import { parseFlags, resolveRoot, rootHelp } from "./args.ts";
import { FILTER_HELP, FILTER_OPTIONS, filterFromFlags } from "./filter_flags.ts";
import { effectivePricing, PRICE_HELP, PRICE_OPTIONS, priceChoice } from "./pricing_source.ts";
import { bytesOut, type CliIo } from "./io.ts";
import { openOut } from "./out_file.ts";
import { UsageError } from "./errors.ts";
import { warningSink } from "./warnings.ts";
import { pushEvents } from "./export_push.ts";
import { EXPORT_SENT, EXPORT_STATE } from "./push_record.ts";
import { fileExport } from "./export_file.ts";
import { totalBytes, withProgress } from "./progress.ts";
import { matchingLogs } from "../query/query.ts";

/** `export --help`. */
export const EXPORT_HELP =
  `Export execution events as OpenTelemetry data (OTLP/JSON), for a Collector or a backend.

Usage: kitty-telemetry export [--signal SIGNAL] [--out FILE | --endpoint URL] [filters]

${FILTER_HELP}

Options:
  --format otlp-json      the only format (default): one TracesData, LogsData or
                          MetricsData object per line, as the Collector's file
                          exporter writes and its otlpjsonfile receiver reads
  --signal SIGNAL         traces (default: a span per run), logs (a record per run)
                          or metrics (cumulative cost and token sums)
  --out FILE              write to FILE (default, or -: stdout): a file is replaced whole
                          when done, never half-written (through a link: the file it
                          names); a device or pipe (/dev/null, a FIFO) is written as it is
  --endpoint URL          push over OTLP/HTTP JSON to URL/v1/<signal> instead (e.g.
                          http://localhost:4318); needs --allow-net=HOST:PORT for that
                          host; sends only events whose ids this clone has not sent
                          there (their record: ${EXPORT_STATE} and ${EXPORT_SENT})
  --full                  with --endpoint: send every matching event again
  --project NAME          the kitty.project resource attribute (default: the root's folder name)
${PRICE_HELP}
${rootHelp()}
  -h, --help              show this help

The attribute mapping is in docs/opentelemetry.md.
`;

const OPTIONS = {
  ...FILTER_OPTIONS,
  format: { type: "string" },
  signal: { type: "string" },
  out: { type: "string" },
  endpoint: { type: "string" },
  full: { type: "boolean" },
  project: { type: "string" },
  ...PRICE_OPTIONS,
  root: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `export`; resolves to the exit code. */
export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    await io.stdout(EXPORT_HELP);
    return 0;
  }
  if ((values.format ?? "otlp-json") !== "otlp-json") {
    throw new UsageError(`--format: expected otlp-json, got ${JSON.stringify(values.format)}`);
  }
  const signal = (values.signal ?? "traces") as Signal;
  if (!SIGNALS.includes(signal)) {
    throw new UsageError(
      `--signal: expected one of ${SIGNALS.join(", ")}, got ${JSON.stringify(values.signal)}`,
    );
  }
  if (values.out !== undefined && values.endpoint !== undefined) {
    throw new UsageError("--out and --endpoint: choose one (a file, or a push)");
  }
  if (values.full && values.endpoint === undefined) {
    throw new UsageError(
      "--full only applies to --endpoint (a file export always has every event)",
    );
  }
  if (values.type && values.type.some((t) => t !== EXECUTION_EVENT)) {
    throw new UsageError(`--type: export only reads ${EXECUTION_EVENT} events`);
  }
  const root = await resolveRoot(io, values.root);
  const pricing = await effectivePricing(io, root, priceChoice(values));
  const filter = {
    ...filterFromFlags(values, io.now().getTime(), pricing),
    types: [EXECUTION_EVENT],
  };
  const project = values.project ?? basename(root);
  const warnings = warningSink(io);
  await withProgress(
    io,
    async () => totalBytes(await matchingLogs(new ProjectLayout(root), filter)),
    async (more, io) => {
      if (values.endpoint !== undefined) {
        const plan = {
          endpoint: values.endpoint,
          signal,
          full: values.full ?? false,
          project,
          filter: filterFlagsText(values),
        };
        await pushEvents(io, root, plan, { filter, pricing, warn: warnings.warn, more });
      } else {
        await writeBytes(
          io,
          values.out,
          (write, rewind) =>
            fileExport(root, signal, filter, pricing, project, warnings.warn, write, rewind, more),
        );
      }
    },
    { verb: "exporting", streams: (values.out ?? "-") === "-" && values.endpoint === undefined },
  );
  await warnings.flush();
  return 0;
}

/** The filter flags given, one spelling whatever their order (older records were per filter). */
function filterFlagsText(values: Record<string, unknown>): string {
  return Object.keys(FILTER_OPTIONS).filter((k) => values[k] !== undefined).sort()
    .map((k) => `--${k}=${JSON.stringify(values[k])}`).join(" ");
}

/**
 * Runs `produce` with a writer of bytes to stdout (no `--out`, or `-`), or
 * to `--out` by its one rule (`out_file.ts`): a file replaced whole at the
 * end (then with a way to empty it and start again), a device or pipe
 * written as it is.
 */
async function writeBytes(
  io: CliIo,
  out: string | undefined,
  produce: (
    write: (bytes: Uint8Array) => Promise<void>,
    rewind?: () => Promise<void>,
  ) => Promise<void>,
) {
  if (out === undefined || out === "-") return await produce(bytesOut(io));
  const file = await openOut(io.cwd, out);
  try {
    await produce(file.write, file.rewind);
  } catch (error) {
    await file.abort();
    throw error;
  }
  await file.commit();
}
