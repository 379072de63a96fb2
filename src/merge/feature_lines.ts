/**
 * One feature's share of an input that holds several: its lines as they
 * are, the other features' events blanked. Reads and decodes each line.
 *
 * @module
 */
import { join, rawLines } from "../store/raw_lines.ts";
import { classifyLine } from "../store/line_kind.ts";
import type { InputOpener } from "./stream_import.ts";

/**
 * An input with the lines of every other feature's events blanked (line
 * numbers kept), as `routeLines` hands the in-memory merge its share.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { featureLines } from "./feature_lines.ts";
 * const a = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note","aggregate_id":"043-x",' +
 *   '"lamport_clock":1,"node_id":"n","causation_id":null,"timestamp":"2026-02-16T09:12:58Z","payload":{}}';
 * const b = a.replace("043-x", "044-y");
 * const open = () => Promise.resolve(new Blob([`${a}\n${b}\njunk`]).stream());
 * const text = await new Response(await featureLines(open, "044-y")()).text();
 * assert.equal(text, `\n${b}\njunk`);
 * ```
 */
export function featureLines(open: InputOpener, feature: string): InputOpener {
  return async () => {
    const lines = rawLines(await open());
    const newline = new Uint8Array([0x0a]);
    return ReadableStream.from((async function* () {
      for await (const { bytes, complete } of lines) {
        const kind = classifyLine(bytes);
        if (kind.kind === "event" && kind.event.aggregate_id !== feature) yield newline;
        else yield complete ? join([bytes, newline]) : bytes;
      }
    })());
  };
}
