/**
 * SHA-256 (FIPS 180-4) in plain code, for the short inputs span ids are
 * derived from: `node:crypto`'s `createHash` costs a native object and two
 * calls per event (a third of an export's time at a million events, and
 * memory the collector does not see). A test holds it equal to
 * `node:crypto` on many inputs.
 *
 * @module
 */

const K = Int32Array.from([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);
const INIT = Int32Array.from([
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
]);
// Signed 32-bit throughout: values stay small integers, never boxed doubles.
const W = new Int32Array(64);
const H = new Int32Array(8);
const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * The SHA-256 of `text` (as UTF-8), as 64 lowercase hex digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256Hex } from "./sha256.ts";
 * assert.equal(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
 * ```
 */
export function sha256Hex(text: string): string {
  sha256Words(text);
  let hex = "";
  for (let i = 0; i < 8; i++) {
    const h = H[i];
    hex += HEX[(h >>> 24) & 0xff] + HEX[(h >>> 16) & 0xff] + HEX[(h >>> 8) & 0xff] + HEX[h & 0xff];
  }
  return hex;
}

/**
 * The SHA-256 of `text` (as UTF-8) as eight big-endian 32-bit words, in a
 * buffer shared by every call (read it before the next): for writers that
 * put the digits straight into their output. `upper`, for ASCII text of at
 * most 55 characters only: of the text with a-z as A-Z.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256Words } from "./sha256.ts";
 * assert.equal((sha256Words("abc")[0] >>> 0).toString(16), "ba7816bf");
 * ```
 */
export function sha256Words(text: string, upper = false): Int32Array {
  H.set(INIT);
  if (text.length <= 55 && isAscii(text)) {
    // One block, written straight into the schedule: no buffer per call.
    W.fill(0, 0, 16);
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (upper && c >= 0x61 && c <= 0x7a) c -= 0x20;
      W[i >> 2] |= c << (24 - (i & 3) * 8);
    }
    W[text.length >> 2] |= 0x80 << (24 - (text.length & 3) * 8);
    W[15] = text.length * 8;
    compress();
  } else {
    const data = encoder.encode(text);
    // The message, a 1 bit, zeros, and the bit length: a multiple of 64 bytes.
    const blocks = Math.ceil((data.length + 9) / 64);
    const padded = new Uint8Array(blocks * 64);
    padded.set(data);
    padded[data.length] = 0x80;
    const view = new DataView(padded.buffer);
    const bits = data.length * 8;
    view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(padded.length - 4, bits >>> 0);
    for (let at = 0; at < padded.length; at += 64) {
      for (let t = 0; t < 16; t++) W[t] = view.getInt32(at + t * 4);
      compress();
    }
  }
  return H;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** One block, its first 16 words already in `W`, into `H`. */
function compress(): void {
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15];
    const w2 = W[t - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
  }
  let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  // Two rounds a turn, the second on the first's names (h holds the new e, d the new a):
  // half the moves of one round a turn.
  for (let t = 0; t < 64; t += 2) {
    let t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
      ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
    let t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
      ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = (d + t1) | 0;
    d = (t1 + t2) | 0;
    t1 = (g + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) +
      ((h & e) ^ (~h & f)) + K[t + 1] + W[t + 1]) | 0;
    t2 = ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) +
      ((d & a) ^ (d & b) ^ (a & b))) | 0;
    g = (c + t1) | 0;
    c = (t1 + t2) | 0;
    // Now a..h are c, d, a, b, g, h, e, f: rename.
    const a2 = c, b2 = d, c2 = a, d2 = b, e2 = g, f2 = h, g2 = e, h2 = f;
    a = a2;
    b = b2;
    c = c2;
    d = d2;
    e = e2;
    f = f2;
    g = g2;
    h = h2;
  }
  H[0] = (H[0] + a) | 0;
  H[1] = (H[1] + b) | 0;
  H[2] = (H[2] + c) | 0;
  H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0;
  H[5] = (H[5] + f) | 0;
  H[6] = (H[6] + g) | 0;
  H[7] = (H[7] + h) | 0;
}
