/**
 * A stress-test emitter: `emit` COUNT times in this one process, as fast as
 * it can. Usage: emitter.ts ROOT FEATURE NODE COUNT
 */
import { runCli } from "../../src/cli/run.ts";
import { processIo } from "../../main.ts";

const [root, feature, node, count] = Deno.args;
const io = { ...processIo(), stdout: () => Promise.resolve() };
for (let i = 0; i < Number(count); i++) {
  const code = await runCli([
    "emit",
    "--feature",
    feature,
    "--agent",
    "stress",
    "--role",
    "implementer",
    "--input-tokens",
    String(i),
    "--node-id",
    node,
    "--root",
    root,
  ], io);
  if (code !== 0) Deno.exit(code);
}
