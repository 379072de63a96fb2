/**
 * What `query` prints through `writeOrdered`, as lines, for the tests of the
 * ordered writer: every write must end at a line's end and be UTF-8 on its
 * own (a caller may hand each write to a pipe as it comes).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { EventFilter } from "../src/query/filter.ts";
import { writeOrdered, type WriteOrderedOptions } from "../src/query/write_ordered.ts";
import type { ProjectLayout } from "../src/store/project_layout.ts";

/** The lines printed (no line ends), and the warnings given. */
export async function printed(
  layout: ProjectLayout,
  filter: EventFilter,
  options: WriteOrderedOptions,
): Promise<{ lines: string[]; warnings: string[] }> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const warnings: string[] = [];
  let text = "";
  const count = await writeOrdered(layout, filter, (w) => warnings.push(w), (bytes) => {
    assert.equal(bytes[bytes.length - 1], 0x0a, "a write that does not end at a line's end");
    // Decoded now: the writer reuses its buffer once the promise resolves.
    text += decoder.decode(bytes);
    return Promise.resolve();
  }, options);
  const lines = text === "" ? [] : text.slice(0, -1).split("\n");
  assert.equal(lines.length, count);
  return { lines, warnings };
}
