/**
 * The export's SHA-256 module (`src/export/wasm/sha256/*.wat`): the committed
 * module is what its source builds to (rebuilt with the pinned wabt;
 * ignored, saying why, when npm cannot be reached), and the trace and span
 * ids it writes are `spanIds`' (the JS SHA-256 of the normalised id, held
 * to node:crypto elsewhere) for every id it is handed: ULIDs in any case,
 * 26 characters that are no ULID, every ASCII byte at every place, every
 * length up to one block.
 */
import assert from "node:assert/strict";
import { prng } from "../bench/generate.ts";
import { spanIds } from "../src/export/otlp_ids.ts";
import {
  BATCH,
  IdBatch,
  IdFrame,
  idInput,
  MAX_ID_BYTES,
} from "../src/export/wasm/sha256_kernel.ts";

const build = await import("../scripts/build_wasm.ts");
const compiler = await build.assemble(build.SHA256).then(
  (built) => ({ built }),
  (e: Error) => ({ e }),
);
if ("e" in compiler) {
  console.log(`sha256 wasm rebuild test ignored: cannot load wabt: ${compiler.e}`);
}

Deno.test({
  name: "the committed sha256.wasm and sha256_wasm.ts are what sha256/*.wat builds to",
  ignore: !("built" in compiler),
  fn: async () => {
    const { wasm, module } = (compiler as { built: { wasm: Uint8Array; module: string } }).built;
    assert.deepEqual(await Deno.readFile(build.SHA256.wasm), wasm, "run `deno task wasm`");
    assert.equal(await Deno.readTextFile(build.SHA256.module), module, "run `deno task wasm`");
  },
});

/** The frame's text after hashing `id` (ASCII) as the byte writer hands it over. */
function framed(frame: IdFrame, id: string): string {
  const input = idInput();
  for (let i = 0; i < id.length; i++) input[i] = id.charCodeAt(i);
  frame.hash(id.length);
  return new TextDecoder().decode(frame.bytes);
}

Deno.test("the kernel's ids are spanIds' for every id it hashes", () => {
  const frame = IdFrame.of("[", ",", "]");
  const ids = [
    "",
    "01KHJVJWDM0HGAGYGXJYKD1JQG",
    "01khjvjwdm0hgagygxjykd1jqg", // hashed in upper case
    "01KhJvJwDm0HgAgYgXjYkD1jQg",
    "81KHJVJWDM0HGAGYGXJYKD1JQG", // any first character
    "x".repeat(MAX_ID_BYTES),
  ];
  // Every ASCII byte at every place of a ULID: the letters (either case) are upper-cased,
  // anything else leaves the id as spelled.
  for (let at = 0; at < 26; at++) {
    for (let c = 0; c < 128; c++) {
      const id = "01khjvjwdm0hgagygxjykd1jqg";
      ids.push(id.slice(0, at) + String.fromCharCode(c) + id.slice(at + 1));
    }
  }
  const rand = prng(7);
  for (let n = 0; n < 3000; n++) {
    const length = n % (MAX_ID_BYTES + 1);
    ids.push(Array.from({ length }, () => String.fromCharCode(Math.floor(rand() * 128))).join(""));
  }
  let upper = 0;
  for (const id of ids) {
    // The writer hands the kernel a UUID normalised already; a 26-character id as it is.
    if (id.length === 32 || id.length === 36) continue;
    const { traceId, spanId } = spanIds(id);
    assert.equal(framed(frame, id), `[${traceId},${spanId}]`, JSON.stringify(id));
    if (id !== id.toUpperCase() && traceId === spanIds(id.toUpperCase()).traceId) upper++;
  }
  // Not vacuous: lower-case ULIDs were hashed as their upper case.
  assert.ok(upper > 500, `${upper}`);
});

Deno.test("frames of different text keep their own digits, and set() writes given ones", () => {
  const a = IdFrame.of('{"t":"', '","s":"', '"}');
  const b = IdFrame.of("<", "|", ">");
  assert.equal(IdFrame.of("<", "|", ">"), b);
  const one = spanIds("01KHJVJWDM0HGAGYGXJYKD1JQG");
  const two = spanIds("abc");
  assert.equal(
    framed(a, "01KHJVJWDM0HGAGYGXJYKD1JQG"),
    `{"t":"${one.traceId}","s":"${one.spanId}"}`,
  );
  assert.equal(framed(b, "abc"), `<${two.traceId}|${two.spanId}>`);
  assert.equal(new TextDecoder().decode(a.bytes), `{"t":"${one.traceId}","s":"${one.spanId}"}`);
  b.set("0".repeat(31) + "1", "f".repeat(16));
  assert.equal(new TextDecoder().decode(b.bytes), `<${"0".repeat(31)}1|${"f".repeat(16)}>`);
});

Deno.test("four ids hashed at once (one a lane) get spanIds' digits, each in its place", () => {
  const batch = IdBatch.get();
  const rand = prng(9);
  // ULID letters in either case, and bytes that make an id no ULID (hashed as spelled).
  const chars = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyzILOUilou!~\u007f";
  let lower = 0;
  for (let round = 0; round < 2000; round++) {
    const ids = Array.from(
      { length: BATCH },
      () => Array.from({ length: 26 }, () => chars[Math.floor(rand() * chars.length)]).join(""),
    );
    ids.forEach((id, k) => batch.inputs[k].set(new TextEncoder().encode(id)));
    batch.hash();
    ids.forEach((id, k) => {
      const { traceId, spanId } = spanIds(id);
      assert.equal(new TextDecoder().decode(batch.hex[k]), traceId + spanId, `${k}: ${id}`);
      if (/^[0-9a-hjkmnp-tv-z]{26}$/i.test(id) && id !== id.toUpperCase()) lower++;
    });
  }
  // Not vacuous: some were ULIDs to upper-case (most are not, with '!' among the letters).
  assert.ok(lower > 0, `${lower}`);
});

Deno.test("four ids: a 26-byte id with bytes past ASCII is no ULID, though each byte's low 7 bits are ULID letters", () => {
  const batch = IdBatch.get();
  // "Ұ" is D2 B0 in UTF-8: without their top bit, "R" and "0". "ы" (D1 8B) has 0x0B, no letter.
  const ids = [
    "01khjvjwdm0hgagygxjykd1jҰ",
    "Ұ1khjvjwdm0hgagygxjykd1jq",
    "01khjvjwdm0hgagygxjykd1jqg",
    "ы1khjvjwdm0hgagygxjykd1jq",
  ];
  const bytes = ids.map((id) => new TextEncoder().encode(id));
  assert.deepEqual(bytes.map((b) => b.length), [26, 26, 26, 26]);
  bytes.forEach((b, k) => batch.inputs[k].set(b));
  batch.hash();
  ids.forEach((id, k) => {
    const { traceId, spanId } = spanIds(id);
    assert.equal(new TextDecoder().decode(batch.hex[k]), traceId + spanId, `${k}: ${id}`);
  });
  // Not vacuous: the ASCII one in lane 2 was hashed as its upper case (a ULID).
  assert.equal(spanIds(ids[2]).traceId, spanIds(ids[2].toUpperCase()).traceId);
});
