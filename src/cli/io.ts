/**
 * Everything the CLI takes from or gives to the outside world, in one
 * object, so commands are testable in-process with exact outputs.
 *
 * @module
 */

/** The CLI's view of the process. */
export interface CliIo {
  /** Writes data (only data) to stdout. */
  stdout(text: string): Promise<void>;
  /**
   * Writes bytes of data (UTF-8 text, whole lines) to stdout, done with them
   * when it resolves; left out, {@linkcode bytesOut} decodes them for `stdout`.
   */
  stdoutBytes?(bytes: Uint8Array): Promise<void>;
  /** Writes diagnostics to stderr. */
  stderr(text: string): Promise<void>;
  /** Standard input as bytes. */
  stdin: ReadableStream<Uint8Array>;
  /** Reads an environment variable (undefined when unset or not permitted). */
  env(name: string): string | undefined;
  /** The working directory. */
  cwd: string;
  /** The current time. */
  now(): Date;
  /** Mints a new event id. */
  newId(): string;
  /** This machine's host name ("" when unknown). */
  hostname(): string;
  /** Whether stdout is a terminal (colours and such only then). */
  stdoutIsTty: boolean;
  /** Whether stderr is a terminal (progress lines only then). */
  stderrIsTty: boolean;
  /** The terminal's width in columns when stdout is a terminal (tables fit it). */
  terminalColumns?: number;
}

/** Environment variables the tool reads. */
export const ENV = {
  nodeId: "KITTY_TELEMETRY_NODE_ID",
  root: "KITTY_TELEMETRY_ROOT",
  pricing: "KITTY_TELEMETRY_PRICING",
  noColor: "NO_COLOR",
  /** The width tables fit (read only where permitted; else the terminal's width). */
  columns: "COLUMNS",
  /** `1`: `import` holds its inputs in memory instead of streaming them (the older path). */
  importInMemory: "KITTY_TELEMETRY_IMPORT_IN_MEMORY",
} as const;

/**
 * Where to write bytes of data: `io.stdoutBytes`, or `io.stdout` with the
 * bytes decoded (they must end at a character's end, as whole lines do).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bytesOut, type CliIo } from "./io.ts";
 * let text = "";
 * const io = { stdout: async (t: string) => void (text += t) } as CliIo;
 * await bytesOut(io)(new TextEncoder().encode("é\n"));
 * assert.equal(text, "é\n");
 * ```
 */
export function bytesOut(io: CliIo): (bytes: Uint8Array) => Promise<void> {
  if (io.stdoutBytes) return (bytes) => io.stdoutBytes!(bytes);
  const decoder = new TextDecoder();
  return (bytes) => io.stdout(decoder.decode(bytes));
}
