/**
 * The scan kernel's 16-byte checks at their edges (src/read/wasm/scan/*.wat):
 * a count read with one load and a swizzle (1 to 17 digits, leading zeros,
 * the byte after it, a count that ends at the block's end with digits in
 * the kernel's memory past it), a timestamp's date and time read with one
 * load (every position of the window replaced by each kind of byte), and a
 * name checked with one load (a quote, backslash, control byte, 0x7f or a
 * byte of no ASCII at each position, names of 1 to 16 bytes), `null`,
 * `true` and `false` read as one 4-byte word (cut short at the block's
 * end). Each line is read by the kernel (WasmReader), by the JS byte reader
 * and by the full path (`decodeLine`): the kernel answers as the JS reader,
 * takes only lines the full path accepts, with its values; and it takes the
 * right spellings itself (not through the JS reader it falls back to).
 */
import assert from "node:assert/strict";
import { ByteChunk, CanonicalReader, LINE } from "../src/read/canonical_bytes.ts";
import { WasmReader } from "../src/read/wasm_reader.ts";
import type { LineView } from "../src/read/line_view.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import { pythonLine } from "../bench/generate.ts";
import { isoInstantMs } from "../src/event/iso_time.ts";
import { payload } from "./helpers.ts";
import { sampleEvent } from "./store_contract.ts";
import { viewOf, viewValues } from "./view_shape.ts";

const encoder = new TextEncoder();

/**
 * Reads `bytes` (one line, no newline: the block ends with it) through the
 * kernel and the JS reader and checks the answers against each other and
 * the full path. Returns whether the kernel itself took it as an execution line.
 */
function check(reader: WasmReader, bytes: Uint8Array, why: string): boolean {
  const before = reader.taken[0];
  const chunk = new ByteChunk(bytes);
  const answer = reader.read(chunk, 0);
  const js = new CanonicalReader();
  assert.equal(answer, js.read(chunk, 0), why);
  const full = decodeLine(new TextDecoder().decode(bytes));
  if (answer === LINE.EXECUTION) {
    assert.ok(full.ok, `taken, but the full path rejects it: ${why}`);
    assert.deepEqual(viewValues(reader.view as LineView), viewValues(js.view as LineView), why);
    assert.deepEqual(viewValues(reader.view as LineView), viewOf(full.event), why);
    const ms = (reader.view as LineView).knownMs;
    if (!Number.isNaN(ms)) assert.equal(ms, isoInstantMs(full.event.timestamp), why);
  }
  return answer === LINE.EXECUTION && reader.taken[0] > before;
}

/** A line of `event` in either layout with `value` written raw in place of `key`'s. */
function lineWith(key: string, value: string, python: boolean): string {
  const MARK = "@@mark@@";
  const event = sampleEvent({ payload: payload({ cost_usd: 0.5 }) });
  if (key in event) (event as unknown as Record<string, unknown>)[key] = MARK;
  else (event.payload as Record<string, unknown>)[key] = MARK;
  const line = python ? pythonLine(event) : encodeEvent(event);
  assert.equal(line.split(`"${MARK}"`).length, 2, line);
  return line.replace(`"${MARK}"`, value);
}

const COUNT_KEYS = [
  "lamport_clock",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "duration_ms",
  "exit_code",
];

Deno.test("counts of 1 to 17 digits, with leading zeros, each followed by each byte: the kernel answers as the full path", () => {
  const reader = new WasmReader();
  let taken = 0;
  for (const python of [false, true]) {
    for (const key of COUNT_KEYS) {
      for (let n = 1; n <= 17; n++) {
        const digits = "9876543210987654321".slice(0, n);
        const spellings = [digits, "1" + "0".repeat(n - 1), "0" + digits.slice(1), "-" + digits];
        for (const text of spellings) {
          const line = lineWith(key, text, python);
          const why = `${key} = ${text} (${python ? "Python" : "tool"} layout)`;
          const took = check(reader, encoder.encode(line), why);
          const plain = !text.startsWith("-") && (n === 1 || !text.startsWith("0"));
          // The kernel takes a plain count of up to 15 digits (an exit code: 32 bits).
          const fits = key === "exit_code" ? Number(text) < 2 ** 31 : n <= 15;
          if (plain && fits) assert.ok(took, `not taken by the kernel: ${why}`);
          if (n > 15 && key !== "exit_code") assert.ok(!took, `16+ digits taken: ${why}`);
          if (took) taken++;
        }
        // The byte after the digits, whatever it is, is the line's to judge.
        for (const after of [".", "e", "E", "0", " ", "}", '"', "x", "é"]) {
          const line = lineWith(key, digits.slice(0, Math.min(n, 9)) + after, python);
          check(reader, encoder.encode(line), `${key} followed by ${after}`);
        }
      }
    }
  }
  assert.ok(taken > 100, `${taken}`);
});

Deno.test("a line cut right after a count, a null or a true at the block's end, with digits in memory past it, is not taken", () => {
  const reader = new WasmReader();
  // A long block of digits first: the kernel's memory past the next (shorter) block holds them.
  const digits = "1".repeat(4096);
  const full = encodeEvent(sampleEvent({ payload: payload({ error: digits }) }));
  assert.equal(reader.read(new ByteChunk(encoder.encode(full)), 0), LINE.EXECUTION);
  let cuts = 0;
  for (const python of [false, true]) {
    const line = python ? pythonLine(sampleEvent()) : encodeEvent(sampleEvent());
    for (const [key, value] of [["input_tokens", "100"], ["lamport_clock", ""], ["success", ""]]) {
      // Cut after each byte of the key's value: the block ends there.
      const at = line.indexOf(`"${key}"`) + key.length + (python ? 4 : 3);
      for (let end = at; end <= at + Math.max(value.length, 5); end++) {
        const bytes = encoder.encode(line.slice(0, end));
        assert.equal(check(reader, bytes, `${key} cut at ${end - at}`), false);
        cuts++;
      }
    }
    // A null and a true cut short at the block's end: one 4-byte load must not pass them.
    for (const word of ["null", "true", "false"]) {
      const key = word === "null" ? "cache_read_tokens" : "success";
      const whole = lineWith(key, word, python);
      const at = whole.indexOf(word, whole.indexOf(`"${key}"`));
      for (let keep = 0; keep < word.length; keep++) {
        const bytes = encoder.encode(whole.slice(0, at + keep));
        assert.equal(check(reader, bytes, `${word} cut to ${keep} bytes`), false);
        // The same cut with the word's own bytes past the block's end, in the chunk and in
        // the kernel's memory (the whole line read just before).
        reader.read(new ByteChunk(encoder.encode(whole)), 0);
        const padded = encoder.encode(whole.slice(0, at + word.length) + "}}");
        const chunk = new ByteChunk(padded, at + keep);
        const answer = reader.read(chunk, 0);
        assert.equal(answer, new CanonicalReader().read(chunk, 0), `${word} cut, padded`);
        assert.notEqual(answer, LINE.EXECUTION, `${word} cut to ${keep} bytes, padded`);
        cuts++;
      }
    }
  }
  assert.ok(cuts > 40, `${cuts}`);
});

Deno.test("every position of a timestamp's date and time, each kind of byte: the kernel answers as the full path", () => {
  const reader = new WasmReader();
  const base = "2024-02-29T23:59:58.123Z";
  const bytes = ["0", "5", "9", "-", "T", ":", "t", " ", "/", "a", ".", "Z", "é", "\u0001"];
  let known = 0;
  for (const python of [false, true]) {
    for (let i = 0; i < 24; i++) {
      for (const b of bytes) {
        const time = base.slice(0, i) + b + base.slice(i + 1);
        const line = lineWith("timestamp", JSON.stringify(time), python);
        const why = `${time} (${python ? "Python" : "tool"} layout)`;
        const took = check(reader, encoder.encode(line), why);
        const ms = took ? (reader.view as LineView).knownMs : NaN;
        // Read by the kernel itself exactly when spelled YYYY-MM-DDTHH:MM:SS[.f]Z, valid, from 1000.
        const spelled = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(time);
        const from1000 = Number(time.slice(0, 4)) >= 1000;
        assert.equal(!Number.isNaN(ms), spelled && from1000 && decodeLine(line).ok, why);
        if (!Number.isNaN(ms)) known++;
      }
    }
  }
  // The kernel read the valid ones itself (a digit for a digit: most of them).
  assert.ok(known > 80, `${known}`);
  // Out-of-range parts, each read by the kernel or refused as the full path does.
  for (
    const time of [
      "2023-02-29T00:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-00-10T00:00:00Z",
      "2024-04-31T00:00:00Z",
      "2024-01-00T00:00:00Z",
      "2024-01-01T24:00:00Z",
      "2024-01-01T00:60:00Z",
      "2024-01-01T00:00:60Z",
      "0999-01-01T00:00:00Z",
      "1000-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999999999Z",
      "2000-02-29T12:34:56Z",
    ]
  ) {
    for (const python of [false, true]) {
      check(reader, encoder.encode(lineWith("timestamp", JSON.stringify(time), python)), time);
    }
  }
});

Deno.test("a name of 1 to 16 bytes with a quote, backslash, control byte, 0x7f or non-ASCII byte at each position: the kernel answers as the full path", () => {
  const reader = new WasmReader();
  const odd = ['\\"', "\\\\", "\\u0001", "\u0001", "\u001f", "\u007f", "é", "\u00ff", "\t"];
  let plainTaken = 0;
  for (const python of [false, true]) {
    for (const key of ["aggregate_id", "node_id", "model", "agent"]) {
      for (let n = 1; n <= 16; n++) {
        const name = "abcdefghijklmnop".slice(0, n);
        if (check(reader, encoder.encode(lineWith(key, `"${name}"`, python)), `${key} ${name}`)) {
          plainTaken++;
        }
        for (let i = 0; i < n; i++) {
          for (const b of odd) {
            const text = `"${name.slice(0, i)}${b}${name.slice(i + 1)}"`;
            check(reader, encoder.encode(lineWith(key, text, python)), `${key} ${text}`);
          }
        }
      }
    }
  }
  // Every plain name of 1 to 16 bytes is the kernel's own.
  assert.equal(plainTaken, 2 * 4 * 16);
});
