/**
 * One log's text split into its event lines, each kept byte for byte next to
 * the fields the merge orders and matches by. Pure: no I/O.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeLine } from "../event/line_codec.ts";
import { normalizeEventId } from "../event/event_id.ts";

/** A log as handed to the merge: where it came from (for messages) and its text. */
export interface LogInput {
  /** A label for messages, usually a path; lines are reported as `label:line`. */
  label: string;
  /** The whole log file's text. */
  text: string;
}

/** One valid event line. */
export interface EventLine {
  /** The line exactly as it was, without its `\n`. */
  line: string;
  /**
   * The decoded event, its ids in their normalised spelling (read only for
   * matching and ordering: two spellings of one event are equal here).
   */
  event: Event;
  /** 1-based line number in its input. */
  lineNumber: number;
}

/** A line that is not a valid event (conflict marker, torn or invalid JSON). */
export interface BadLine {
  lineNumber: number;
  reason: string;
}

/** A log split into event lines (by id, first occurrence first) and bad lines. */
export interface ParsedLog {
  label: string;
  /** Every version of each event (by normalised id) in this input, in file order, identical lines once. */
  events: Map<string, EventLine[]>;
  bad: BadLine[];
}

/**
 * Decodes with a cache keyed by the exact line, so merging logs that share
 * most of their lines decodes each distinct line once.
 */
export type LineDecoder = (line: string) => ReturnType<typeof decodeLine>;

/**
 * A {@linkcode decodeLine} that remembers its results.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cachedDecoder } from "./parsed_log.ts";
 * const decode = cachedDecoder();
 * assert.ok(decode("{") === decode("{"));
 * ```
 */
export function cachedDecoder(): LineDecoder {
  const cache = new Map<string, ReturnType<typeof decodeLine>>();
  return (line) => {
    let result = cache.get(line);
    if (!result) {
      result = decodeLine(line);
      cache.set(line, result);
    }
    return result;
  };
}

/**
 * Splits `input.text` on `\n`. Blank lines are passed over; a trailing `\r`
 * stays part of the line (bytes are kept as they are). Git conflict markers
 * get their own reason, since they mean a text merge already happened.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLog } from "./parsed_log.ts";
 * const log = parseLog({ label: "a.jsonl", text: "<<<<<<< HEAD\n\n" });
 * assert.ok(log.events.size === 0 && log.bad[0].lineNumber === 1);
 * assert.ok(log.bad[0].reason.startsWith("git conflict marker"));
 * ```
 */
export function parseLog(input: LogInput, decode: LineDecoder = cachedDecoder()): ParsedLog {
  const events = new Map<string, EventLine[]>();
  const bad: BadLine[] = [];
  const lines = input.text.split("\n");
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const lineNumber = index + 1;
    if (/^(<{7}|={7}|>{7}|\|{7})( |\r?$)/.test(line)) {
      bad.push({ lineNumber, reason: "git conflict marker (the file was merged as text)" });
      return;
    }
    const decoded = decode(line);
    if (!decoded.ok) {
      const torn = index === lines.length - 1 ? "torn last line: " : "";
      bad.push({ lineNumber, reason: `${torn}${decoded.reason}` });
      return;
    }
    const event = normalized(decoded.event);
    const id = event.event_id;
    const versions = events.get(id) ?? [];
    if (!versions.some((v) => v.line === line)) versions.push({ line, event, lineNumber });
    events.set(id, versions);
  });
  return { label: input.label, events, bad };
}

/** The event with its ids normalised: a copy when that changes them (decodes are cached, shared). */
function normalized(event: Event): Event {
  const id = normalizeEventId(event.event_id);
  const cause = event.causation_id === null ? null : normalizeEventId(event.causation_id);
  return id === event.event_id && cause === event.causation_id
    ? event
    : { ...event, event_id: id, causation_id: cause };
}
