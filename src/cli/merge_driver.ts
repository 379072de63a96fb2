/**
 * `kitty-telemetry merge-driver`: git's custom merge drivers for the event
 * logs and the clock files (registered by `git-setup`).
 *
 * @module
 */
import {
  describeConflict,
  type MergeConflict,
  mergeLogs,
  type NonEventLine,
} from "../merge/merge_logs.ts";
import { mergeClockTexts } from "../merge/clock_merge.ts";
import { replaceFile, replaceFileBy } from "../merge/replace_file.ts";
import { type SortedMerge, sortedMerge } from "../merge/sorted_merge.ts";
import { openLog } from "../read/open_log.ts";
import { readBytes, readUtf8 } from "../merge/read_text.ts";
import { parseFlags } from "./args.ts";
import type { CliIo } from "./io.ts";
import { UsageError } from "./errors.ts";
import { warningSink } from "./warnings.ts";

/** `merge-driver --help`. */
export const MERGE_DRIVER_HELP = `Git merge drivers for event logs and clock files.

Usage:
  kitty-telemetry merge-driver events %O %A %B [%P]
  kitty-telemetry merge-driver clock %O %A %B [%P]

Git runs these (see kitty-telemetry git-setup) with the common ancestor (%O),
our version (%A) and theirs (%B); the result replaces %A atomically. %P, the
path in the repository, only names the file in messages.

events  the union of the events by event_id, each event's line kept byte for byte,
        ordered by (lamport_clock, node_id, event_id): both clones get the same bytes.
        An event of %O missing on one side is kept (logs are append-only).
        A line of either side that is not an event (a torn line, a git conflict
        marker, invalid JSON or UTF-8) is kept byte for byte after the events,
        ours then theirs, identical lines once, and named on stderr.
        Exit 1 on a conflict (one event_id with different content): each one is
        named on stderr, and %A holds the union with our version of each
        conflicting event.
clock   the per-node maximum of the three clock files; an unreadable file counts
        as empty (with a warning).

Options:
  -h, --help   show this help

Exit codes: 0 merged, 1 conflict or I/O failure, 2 bad usage.
`;

const OPTIONS = { help: { type: "boolean", short: "h" } } as const;

/** Runs `merge-driver`; resolves to the exit code. */
export async function mergeDriverCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS, true);
  if (values.help) {
    await io.stdout(MERGE_DRIVER_HELP);
    return 0;
  }
  const [kind, base, ours, theirs, name, ...extra] = positionals;
  if (kind !== "events" && kind !== "clock") {
    throw new UsageError(
      `merge-driver: expected "events" or "clock", got ${JSON.stringify(kind ?? "")} (see --help)`,
    );
  }
  if (theirs === undefined || extra.length > 0) {
    throw new UsageError(`merge-driver ${kind}: expected %O %A %B [%P] (see --help)`);
  }
  const label = (side: string, path: string) => name === undefined ? path : `${side}:${name}`;
  // Logs are merged as bytes (every line is kept as it is); clock files as text.
  // Git passes an empty or absent ancestor when both sides added the file,
  // but always both sides: a missing one is a wrong call, not an empty log.
  const present = (side: string, path: string) => <T>(value: T | null): T | null => {
    if (value === null && side !== "base") {
      const which = side === "ours" ? "%A (ours)" : "%B (theirs)";
      throw new UsageError(
        `merge-driver ${kind}: ${which} ${path} does not exist; git always passes both ` +
          `sides: check the driver's command line in .git/config (see git-setup)`,
      );
    }
    return value;
  };
  if (kind === "events") {
    // Logs in their total order (what the tool writes) merge a buffer at a time, whatever
    // their size; anything else merges in memory below, to the same bytes.
    const streamed = await sortedEvents(
      { label: label("ours", ours), path: ours },
      { label: label("theirs", theirs), path: theirs },
      { label: label("base", base), path: base },
    );
    if (streamed) return await reportMerge(io, name ?? ours, streamed, []);
  }
  const inputs = await Promise.all(
    [["base", base], ["ours", ours], ["theirs", theirs]].map(async ([side, path]) => ({
      label: label(side, path),
      text: kind === "clock" ? present(side, path)(await readUtf8(path)) ?? "" : "",
      bytes: kind === "events"
        ? present(side, path)(await readBytes(path)) ?? new Uint8Array()
        : undefined,
    })),
  );
  const warnings = warningSink(io);
  try {
    if (kind === "clock") {
      const merged = mergeClockTexts(inputs);
      merged.warnings.forEach(warnings.warn);
      await replaceFile(ours, merged.text);
      return 0;
    }
    const merged = mergeLogs({ base: inputs[0], sides: [inputs[1], inputs[2]] });
    await replaceFile(ours, merged.bytes);
    return await reportMerge(io, name ?? ours, merged, merged.nonEvents);
  } finally {
    await warnings.flush();
  }
}

/** Merges the logs at these paths over ours, a buffer at a time, when they are in order. */
async function sortedEvents(
  ours: { label: string; path: string },
  theirs: { label: string; path: string },
  base: { label: string; path: string },
): Promise<SortedMerge | undefined> {
  // null: it cannot be opened (the in-memory path says why); undefined: it does not exist.
  const open = (path: string) => openLog(path, { symlink: "follow" }).catch(() => null);
  const [a, b, o] = [await open(ours.path), await open(theirs.path), await open(base.path)];
  // A side missing is a wrong call: the in-memory path names it too. No ancestor: none.
  if (!a || !b || o === null) return undefined;
  const input = (side: { label: string }, log: NonNullable<typeof a>) =>
    log.stream().then((stream) => ({ label: side.label, stream }));
  // The files are opened once the temp file is made: sortedMerge lets each go (read or not).
  return await replaceFileBy(ours.path, async (write) =>
    sortedMerge(
      [await input(ours, a), await input(theirs, b)],
      o ? await input(base, o) : undefined,
      write,
    ));
}

/** Reports a merge on stderr; resolves to the exit code (1 on a conflict). */
async function reportMerge(
  io: CliIo,
  name: string,
  merged: { conflicts: MergeConflict[]; warnings: string[] },
  nonEvents: NonEventLine[],
): Promise<number> {
  const warnings = warningSink(io);
  merged.warnings.forEach(warnings.warn);
  await warnings.flush();
  // Named whether or not there is a conflict: a person may want to look,
  // and `verify --repair --quarantine` can move them out of the log later.
  await io.stderr(
    nonEvents.map((n) =>
      `warning: ${n.location}: not an event, kept as is after the events (${n.reason})\n`
    ).join(""),
  );
  if (merged.conflicts.length === 0) return 0;
  // Every conflict is shown (not capped): each one needs a person.
  await io.stderr(merged.conflicts.map((c) => `conflict: ${describeConflict(c)}\n`).join(""));
  await io.stderr(
    `error: ${merged.conflicts.length} conflict(s) merging ${name}; ` +
      "it holds the union with our version of each conflicting event" +
      (nonEvents.length > 0
        ? `, then the ${nonEvents.length} line(s) that are not events\n`
        : "\n"),
  );
  return 1;
}
