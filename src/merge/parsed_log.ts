/**
 * One log's text split into its event lines, each kept byte for byte next to
 * the fields the merge orders and matches by. Pure: no I/O.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeLine } from "../event/line_codec.ts";
import { normalizeEventId } from "../event/event_id.ts";
import { classifyLine, classifyText, type LineKind, MARKER_REASON } from "../store/line_kind.ts";
import { bytesNotEvent, textNotEvent } from "../read/not_event.ts";

/** A log as handed to the merge: where it came from (for messages) and its content. */
export interface LogInput {
  /** A label for messages, usually a path; lines are reported as `label:line`. */
  label: string;
  /** The whole log file's text (ignored when `bytes` is given). */
  text: string;
  /** The whole log file's bytes, kept exactly whatever they are (invalid UTF-8 too). */
  bytes?: Uint8Array;
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

/**
 * A line that is not an event (conflict marker, torn or invalid JSON, not
 * UTF-8, a clock over the ceiling): kept as its bytes, never re-encoded.
 */
export interface BadLine {
  /** 1-based line number in its input. */
  lineNumber: number;
  /** Why it is not an event. */
  reason: string;
  /** The line's bytes without its `\n`. */
  bytes: Uint8Array;
}

/** A log split into event lines (by id, first occurrence first) and bad lines. */
export interface ParsedLog {
  /** The input's label. */
  label: string;
  /** Every version of each event (by normalised id) in this input, in file order, identical lines once. */
  events: Map<string, EventLine[]>;
  /** The lines that are not events, in file order (the first `listed` of them: see {@linkcode parseLog}). */
  bad: BadLine[];
  /** Lines that are not events past those in `bad`: counted, not kept. */
  unlisted: number;
  /** The number of the last of the `unlisted` lines (0 when none). */
  lastUnlisted: number;
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
 * Splits the input on `\n`, judging each line by its bytes (see
 * `classifyLine`). Blank lines are passed over; a trailing `\r` stays part
 * of the line (bytes are kept as they are). Git conflict markers get their
 * own reason, since they mean a text merge already happened. Only the
 * first `listed` lines that are not events are kept in `bad`; past them a
 * line that certainly is no event (see `textNotEvent`) is only counted, its
 * reason never built, so a log of junk costs what a log of events does.
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
export function parseLog(
  input: LogInput,
  decode: LineDecoder = cachedDecoder(),
  listed: number = Infinity,
): ParsedLog {
  const events = new Map<string, EventLine[]>();
  const bad: BadLine[] = [];
  let unlisted = 0;
  let lastUnlisted = 0;
  /** Past the listed lines, counts a line whose test says it is certainly no event. */
  const counted = (lineNumber: number, notEvent: () => boolean) => {
    if (bad.length < listed || !notEvent()) return false;
    unlisted++;
    lastUnlisted = lineNumber;
    return true;
  };
  const add = (kind: LineKind, lineNumber: number, last: boolean, bytes: () => Uint8Array) => {
    if (kind.kind === "blank") return;
    if (kind.kind !== "event") {
      const reason = kind.kind === "marker"
        ? MARKER_REASON
        : (last ? "torn last line: " : "") + kind.reason;
      if (bad.length < listed) bad.push({ lineNumber, reason, bytes: bytes() });
      else {
        unlisted++;
        lastUnlisted = lineNumber;
      }
      return;
    }
    // One id in any spelling is one event.
    const event = normalized(kind.event);
    const versions = events.get(event.event_id) ?? [];
    if (!versions.some((v) => v.line === kind.line)) {
      versions.push({ line: kind.line, event, lineNumber });
    }
    events.set(event.event_id, versions);
  };
  const text = input.bytes === undefined ? input.text : strictText(input.bytes);
  if (text !== null) {
    // The common case, all UTF-8: lines cut from the text (no array of them).
    const encoder = new TextEncoder();
    const length = text.endsWith("\n") ? text.length - 1 : text.length;
    for (let from = 0, number = 1; from < length; number++) {
      const nl = text.indexOf("\n", from);
      const end = nl === -1 || nl > length ? length : nl;
      const line = text.slice(from, end);
      from = end + 1;
      const notEvent = () => {
        const t = line.endsWith("\r") ? line.slice(0, -1) : line;
        return t.trim() !== "" && textNotEvent(t);
      };
      if (counted(number, notEvent)) continue;
      const last = end === length && !text.endsWith("\n");
      add(classifyText(line, decode), number, last, () => encoder.encode(line));
    }
    return { label: input.label, events, bad, unlisted, lastUnlisted };
  }
  const bytes = input.bytes!;
  let lineNumber = 0;
  for (let from = 0; from < bytes.length;) {
    const nl = bytes.indexOf(0x0a, from);
    const end = nl === -1 ? bytes.length : nl;
    const line = bytes.subarray(from, end);
    const stop = end > from && bytes[end - 1] === 0x0d ? end - 1 : end;
    const start = from;
    from = end + 1;
    if (counted(++lineNumber, () => bytesNotEvent(bytes, start, stop))) continue;
    add(classifyLine(line, decode), lineNumber, nl === -1, () => line);
  }
  return { label: input.label, events, bad, unlisted, lastUnlisted };
}

function strictText(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The event with its ids normalised: a copy when that changes them (decodes are cached, shared).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalized } from "./parsed_log.ts";
 * const e = { event_id: "01khjvjwdm0hgagygxjykd1jqg", causation_id: null } as never;
 * assert.equal(normalized(e).event_id, "01KHJVJWDM0HGAGYGXJYKD1JQG");
 * ```
 */
export function normalized(event: Event): Event {
  const id = normalizeEventId(event.event_id);
  const cause = event.causation_id === null ? null : normalizeEventId(event.causation_id);
  return id === event.event_id && cause === event.causation_id
    ? event
    : { ...event, event_id: id, causation_id: cause };
}
