#!/usr/bin/env -S deno run --allow-read --allow-write --allow-env --allow-sys=hostname
/**
 * The kitty-telemetry command line: the only place that touches the real
 * process (arguments, streams, environment, clock) and the only place that
 * exits.
 *
 * @module
 */
import { runCli } from "./src/cli/run.ts";
import type { CliIo } from "./src/cli/io.ts";
import { ulidFactory } from "./src/event/ulid.ts";
import { undoInterrupted } from "./src/interrupt.ts";

const encoder = new TextEncoder();

async function writeAll(target: { write(p: Uint8Array): Promise<number> }, text: string) {
  await writeBytes(target, encoder.encode(text));
}

async function writeBytes(target: { write(p: Uint8Array): Promise<number> }, bytes: Uint8Array) {
  let written = 0;
  while (written < bytes.length) written += await target.write(bytes.subarray(written));
}

async function toStdout(bytes: Uint8Array): Promise<void> {
  try {
    await writeBytes(Deno.stdout, bytes);
  } catch (error) {
    // The reader went away (`query | head -1`): nothing more is wanted. Ending
    // quietly is what a Unix filter does; an error would blame the caller's pipe.
    if (error instanceof Deno.errors.BrokenPipe) Deno.exit(0);
    throw error;
  }
}

async function toStderr(text: string): Promise<void> {
  try {
    await writeAll(Deno.stderr, text);
  } catch (error) {
    // Nobody reads the diagnostics any more (\`2>&1 | head -1\`): the command
    // goes on and its exit code stays its own; an emit that recorded its
    // event must not exit 1 (and be retried) over an unread warning.
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

let stdinNoted = false;

/** The real process, as the CLI sees it. */
export function processIo(): CliIo {
  return {
    stdout: (text) => toStdout(encoder.encode(text)),
    stdoutBytes: toStdout,
    stderr: toStderr,
    get stdin() {
      // Asked for only by a command about to read it (emit --stdin, --from, import -):
      // typed at a terminal, nothing would say the command waits for input.
      if (!stdinNoted && Deno.stdin.isTerminal()) {
        stdinNoted = true;
        void toStderr(
          "note: reading standard input from the terminal: paste or type it, then Ctrl-D " +
            "(or pipe it in)\n",
        );
      }
      return Deno.stdin.readable;
    },
    env(name) {
      try {
        // Read only what is granted: asking would prompt in a terminal (no prompts, ever).
        if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
          return undefined;
        }
        return Deno.env.get(name);
      } catch {
        // Not permitted: treat as unset, as documented.
        return undefined;
      }
    },
    cwd: Deno.cwd(),
    now: () => new Date(),
    newId: ulidFactory(),
    hostname() {
      try {
        if (Deno.permissions.querySync({ name: "sys", kind: "hostname" }).state !== "granted") {
          return "";
        }
        return Deno.hostname();
      } catch {
        return "";
      }
    },
    stdoutIsTty: Deno.stdout.isTerminal(),
    stderrIsTty: Deno.stderr.isTerminal(),
    terminalColumns: Deno.stdout.isTerminal() ? terminalColumns() : undefined,
  };
}

function terminalColumns(): number | undefined {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return undefined;
  }
}

/**
 * Stopped by a signal: undo the writes under way (a temporary file, a
 * half-appended log; see src/interrupt.ts), then exit as the signal would
 * have (128 + its number).
 */
function undoOnSignals(): void {
  const signals: [Deno.Signal, number][] = Deno.build.os === "windows"
    ? [["SIGINT", 130]]
    : [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]];
  for (const [signal, code] of signals) {
    Deno.addSignalListener(signal, () => {
      undoInterrupted();
      Deno.exit(code);
    });
  }
}

if (import.meta.main) {
  undoOnSignals();
  // Exit explicitly: a lock request that timed out is still pending and
  // would otherwise keep the process alive.
  Deno.exit(await runCli(Deno.args, processIo()));
}
