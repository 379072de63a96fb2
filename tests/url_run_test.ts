/**
 * `deno run <url>/main.ts` with no checkout: the working tree is served over
 * HTTP on 127.0.0.1 and run from there with a fresh DENO_DIR, under the
 * permissions the README gives.
 */
import assert from "node:assert/strict";
import { extname, join, normalize } from "node:path";
import { REPO_ROOT, tempProject } from "./helpers.ts";

const TYPES: Record<string, string> = {
  ".ts": "application/typescript",
  ".json": "application/json",
  ".yaml": "text/plain",
};

Deno.test({
  name: "the CLI runs from a URL: --version, emit and cost --json",
  // The HTTP server's connections close after the child exits.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const controller = new AbortController();
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      signal: controller.signal,
      onListen: () => {},
    }, async (request) => {
      const path = normalize(decodeURIComponent(new URL(request.url).pathname));
      if (path.includes("..")) return new Response("no", { status: 403 });
      try {
        const body = await Deno.readFile(join(REPO_ROOT, path));
        const type = TYPES[extname(path)] ?? "application/octet-stream";
        return new Response(body, { headers: { "content-type": type } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    });
    const url = `http://127.0.0.1:${server.addr.port}/main.ts`;
    const root = await tempProject();
    const denoDir = await tempProject();
    const run = async (args: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          `--allow-read=${root}`,
          `--allow-write=${root}`,
          "--allow-env=KITTY_TELEMETRY_NODE_ID,KITTY_TELEMETRY_ROOT,KITTY_TELEMETRY_PRICING,NO_COLOR",
          url,
          ...args,
        ],
        cwd: root,
        env: { DENO_DIR: denoDir, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = (b: Uint8Array) => new TextDecoder().decode(b);
      return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
    };
    try {
      const version = await run(["--version"]);
      assert.equal(version.code, 0, version.stderr);
      assert.match(version.stdout, /^kitty-telemetry \d+\.\d+\.\d+\n$/);
      const emit = await run([
        "emit",
        "--feature",
        "043-url",
        "--agent",
        "claude",
        "--role",
        "implementer",
        "--model",
        "claude-sonnet-4-5",
        "--input-tokens",
        "100000",
        "--node-id",
        "url-node",
        "--root",
        root,
      ]);
      assert.equal(emit.code, 0, emit.stderr);
      const cost = await run(["cost", "--json", "--root", root]);
      assert.equal(cost.code, 0, cost.stderr);
      const report = JSON.parse(cost.stdout);
      assert.equal(report.total.event_count, 1);
      assert.equal(report.total.estimated_cost_usd, 0.3); // 100,000 x $3 per million
    } finally {
      controller.abort();
      await server.finished;
    }
  },
});
