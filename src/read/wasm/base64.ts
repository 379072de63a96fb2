/**
 * Base64 for the embedded WebAssembly bytes (no dependency: JSR is not
 * used here, and `atob` works on every runtime the tool runs on).
 *
 * @module
 */

/**
 * Bytes as base64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBase64, encodeBase64 } from "./base64.ts";
 * assert.equal(encodeBase64(new Uint8Array([0, 97, 115, 109])), "AGFzbQ==");
 * assert.deepEqual(decodeBase64("AGFzbQ=="), new Uint8Array([0, 97, 115, 109]));
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** Base64 as bytes (see {@linkcode encodeBase64}). */
export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
