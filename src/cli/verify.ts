/**
 * `kitty-telemetry verify`: check every log; with `--repair`, fix what can
 * be fixed safely.
 *
 * @module
 */
import { ProjectLayout } from "../store/project_layout.ts";
import { type FeatureReport, verifyFeature } from "../store/verify.ts";
import { verifyOnThreads } from "../store/verify_threads.ts";
import { repairFeature, type RepairResult } from "../store/repair.ts";
import { parseFlags, resolveRoot, rootHelp } from "./args.ts";
import type { CliIo } from "./io.ts";
import { UsageError } from "./errors.ts";
import { totalBytes, withProgress } from "./progress.ts";
import { didYouMean } from "./suggest.ts";

/** `verify --help`. */
export const VERIFY_HELP = `Check every feature log for problems.

Usage: kitty-telemetry verify [--feature SLUG]... [--repair [--quarantine all|N,...]] [--json]
                              [--root DIR]

Reports malformed lines (file:line and why), a torn last line, git conflict markers,
duplicate event ids (one id in any spelling), events whose aggregate_id is another
feature than their log's folder (foreign-event), clock regressions per node, and
clock files behind their logs. Notes (exit 0): a node id whose clock value several
events share (shared-node: machines recording under one name, e.g. cli:<wp>, then
merged).
The first 20 findings of each kind per feature are listed; the rest are counted.

Options:
  --feature SLUG          check only these features (default: all)
  --repair                rewrite logs without a torn last line, git conflict marker lines
                          and byte-exact repeats of an event line, keeping every other line
                          byte for byte; the dropped lines move to a new file beside the log,
                          execution.events.jsonl.<time>-<random>.quarantine; raise clock
                          files to the log; other problems are left for a person
  --quarantine all|N,...  with --repair: also move lines that are not events (torn lines
                          mid-file, invalid JSON or UTF-8, clocks over the ceiling) to the
                          quarantine file: all of them, or these line numbers (use with
                          --feature); event lines are never moved
  --json                  one JSON object: {"ok": ..., "features": [...]}
${rootHelp()}
  -h, --help              show this help

Exit codes: 0 clean (after --repair: nothing left to report), 1 problems found, 2 bad usage.
`;

const OPTIONS = {
  feature: { type: "string", multiple: true },
  repair: { type: "boolean" },
  quarantine: { type: "string" },
  json: { type: "boolean" },
  root: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `verify`; resolves to the exit code. */
export async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    await io.stdout(VERIFY_HELP);
    return 0;
  }
  const quarantine = parseQuarantine(values.quarantine, values.repair === true);
  const layout = new ProjectLayout(await resolveRoot(io, values.root));
  const existing = await layout.features();
  // A dangling feature-folder link is there (verify reports it), though no reader lists it.
  const missing: string[] = [];
  for (const f of values.feature ?? []) {
    if (!existing.includes(f) && !(await isEntry(layout.featureDir(f)))) missing.push(f);
  }
  if (missing.length > 0) {
    throw new UsageError(
      `verify: no such feature ${missing.map((f) => JSON.stringify(f)).join(", ")}${
        didYouMean(missing[0], existing)
      } (features: ${existing.join(", ") || "none yet"})`,
    );
  }
  const features = values.feature ?? existing;
  const repairs: RepairResult[] = [];
  const reports: FeatureReport[] = [];
  // The logs' sizes before a repair: it reads each once more (the line's "pass 2").
  const sizes = await Promise.all(features.map((f) => totalBytes([layout.logPath(f)])));
  await withProgress(io, sizes.reduce((a, b) => a + b, 0), async (more) => {
    reports.push(...await verifyOnThreads(layout, features, sizes, more));
    // A feature with nothing to report has nothing to repair: it is not locked or rewritten
    // (so a clean project checks out on a read-only disk too), then checked again once repaired.
    for (const [i, feature] of features.entries()) {
      if (!values.repair || reports[i].findings.length === 0) continue;
      const r = await repairFeature(layout, feature, io.now(), { quarantine });
      if (r.quarantine || r.clockRaised || r.conflictLines.length > 0) repairs.push(r);
      reports[i] = await verifyFeature(layout, feature);
    }
  }, { verb: "verifying" });
  const findings = reports.flatMap((r) => r.findings);
  if (values.json) {
    await io.stdout(
      JSON.stringify({
        ok: findings.length === 0,
        features: reports.map((r) => ({
          feature: r.feature,
          events: r.events,
          findings: r.findings,
          notes: r.notes,
        })),
        repairs,
      }) + "\n",
    );
  } else {
    const lines = repairs.map((r) =>
      `repaired ${r.feature}: dropped line(s) ${r.droppedLines.join(", ") || "none"}` +
      (r.quarantine ? `, moved to ${r.quarantine}` : "") +
      (r.conflictLines.length > 0
        ? `, left line(s) ${
          r.conflictLines.join(", ")
        } (an id seen before, other bytes) for a person`
        : "") +
      (r.clockRaised ? ", clock file raised" : "")
    );
    for (const f of findings) {
      lines.push(`${f.path}${f.line ? `:${f.line}` : ""}: ${f.kind}: ${f.message}`);
    }
    for (const n of reports.flatMap((r) => r.notes)) {
      lines.push(`${n.path}${n.line ? `:${n.line}` : ""}: note: ${n.kind}: ${n.message}`);
    }
    const events = reports.reduce((n, r) => n + r.events, 0);
    // A summary finding stands for the findings of its kind not listed.
    const problems = findings.reduce((n, f) => n + (f.more ?? 1), 0);
    lines.push(
      findings.length === 0
        ? `ok: ${reports.length} feature(s), ${events} event(s), no problems`
        : `${problems} problem(s) in ${
          reports.filter((r) => r.findings.length > 0).length
        } feature(s)`,
    );
    await io.stdout(lines.join("\n") + "\n");
  }
  return findings.length === 0 ? 0 : 1;
}

function parseQuarantine(
  value: string | undefined,
  repair: boolean,
): "all" | ReadonlySet<number> | undefined {
  if (value === undefined) return undefined;
  if (!repair) throw new UsageError("verify: --quarantine needs --repair");
  if (value === "all") return "all";
  const numbers = value.split(",").map((n) => n.trim());
  if (numbers.some((n) => !/^[1-9]\d{0,15}$/.test(n))) {
    throw new UsageError(
      `verify: --quarantine takes "all" or line numbers like 3,7; got ${JSON.stringify(value)}`,
    );
  }
  return new Set(numbers.map(Number));
}

async function isEntry(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
