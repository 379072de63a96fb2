/**
 * `import --help`: what `import` merges and how.
 *
 * @module
 */
import { rootHelp } from "./args.ts";

/** `import --help`. */
export const IMPORT_HELP = `Merge event logs from elsewhere into this project's logs.

Usage:
  kitty-telemetry import PATH... [--feature SLUG] [--route-by-feature] [--root DIR] [--json]

PATH is a log file, a folder holding kitty-specs/ (another checkout: every
feature's log and clock file), or - for stdin. An event's feature is its
aggregate_id: each event goes to that feature's log. With --feature, every event
of a file must belong to that feature, and in a checkout every event of a
feature's log to that feature; one that does not stops the import (exit 2,
nothing written) unless --route-by-feature sends each event to its own feature.

Events are united by event_id, each line kept byte for byte, in (lamport_clock,
node_id, event_id) order, as git's merge driver does; an event already present
(in any layout) is not added again, so importing twice changes nothing. Under
the feature's lock, events that all sort after the log's last line (and are not
in it yet) are appended; otherwise the log is merged and replaced atomically.
The clock file is raised to the per-node maximum of what it held and every
imported event, so the next emit comes after them. A conflict (one event_id
with different content) aborts that feature with nothing changed. Lines that
are not events stay where they are (see docs/importing.md).

Options:
  --feature SLUG  the feature the events of a file or stdin belong to (checked);
                  with a folder, import only that feature's log
  --route-by-feature
                  write each event into its own aggregate_id's log, even when it
                  came under another --feature or in another feature's log
${rootHelp(18, { requireProject: true })}
  --json          print one JSON object instead of a line per feature
  --from otlp-json
                  read agents' OpenTelemetry log records instead (see
                  import --from otlp-json --help)
  -h, --help      show this help

Prints per feature: events added, already present, conflicting.
Exit codes: 0 imported, 1 a conflict with the log (that feature unchanged) or I/O
failure, 2 bad usage or an input that holds one event_id with different content.
`;
