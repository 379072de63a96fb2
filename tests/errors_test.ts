/** Errors carry their exit code; the CLI maps every error in one place. */
import assert from "node:assert/strict";
import { DataError, InvalidInputError, KittyError } from "../src/errors.ts";
import { describeError, UsageError } from "../src/cli/errors.ts";
import { LockTimeoutError } from "../src/store/feature_lock.ts";
import { inputsFromStdin } from "../src/cli/emit_input.ts";

Deno.test("input errors are plain Errors carrying exit 2; data and lock errors exit 1", () => {
  for (const e of [new InvalidInputError("a"), new UsageError("b")]) {
    assert.equal(e instanceof TypeError, false);
    assert.equal(e.exitCode, 2);
    assert.equal(describeError(e).code, 2);
  }
  const lock = new LockTimeoutError("c");
  assert.equal(lock instanceof DataError, false);
  assert.equal(lock.exitCode, 1);
  assert.deepEqual(describeError(lock), { code: 1, message: "error: c" });
  assert.equal(describeError(new DataError("d")).code, 1);
});

Deno.test("describeError takes the code from the error, for any KittyError", () => {
  class Refused extends KittyError {
    readonly exitCode = 2;
  }
  assert.deepEqual(describeError(new Refused("no\n  way")), { code: 2, message: "error: no way" });
  assert.deepEqual(describeError("text"), { code: 1, message: "error: text" });
});

Deno.test("only bad UTF-8 on stdin is reported as bad UTF-8, not any TypeError", async () => {
  const stdin = new Blob(['{"agent":"a","role":"r"}\n']).stream();
  const defaults = {
    get wp_id(): string {
      throw new TypeError("a bug elsewhere");
    },
  };
  await assert.rejects(
    () => inputsFromStdin(stdin, defaults, () => {}),
    (e: Error) => !(e instanceof UsageError) && e.message === "a bug elsewhere",
  );
  const bad = new Blob([new Uint8Array([0x7b, 0xff, 0x7d, 0x0a])]).stream();
  await assert.rejects(
    () => inputsFromStdin(bad, {}, () => {}),
    (e: Error) => e instanceof UsageError && /^stdin line 1: not valid UTF-8/.test(e.message),
  );
});
