/**
 * Settings files in odd places, by their one rule (`src/cli/setting_file.ts`):
 * `.kittify` a file, not a folder; a folder or FIFO where
 * `.kittify/pricing.yaml` or `budgets.yaml` goes; `--pricing` and
 * `$KITTY_TELEMETRY_PRICING` naming nothing or a folder.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";

Deno.test(".kittify a file: cost, report, pricing and budget run as with no .kittify", async () => {
  const { root } = await projectWith(3);
  const plain = await cli(["cost", "--root", root]);
  assert.equal(plain.code, 0, plain.stderr);
  await Deno.writeTextFile(join(root, ".kittify"), "not a folder\n");
  const cost = await cli(["cost", "--root", root]);
  assert.deepEqual(cost, plain); // was: exit 1, cannot read pricing file (Not a directory)
  const pricing = await cli(["pricing", "--root", root]);
  assert.equal(pricing.code, 0, pricing.stderr);
  const out = join(root, "report.html");
  const report = await cli(["report", "--root", root, "--out", out]);
  assert.equal(report.code, 0, report.stderr);
  assert.match(await Deno.readTextFile(out), /<html/i);
  const budget = await cli(["budget", "--root", root]);
  assert.equal(budget.code, 2);
  assert.match(budget.stderr, /^error: no budgets file at .*: create it/);
});

Deno.test("a FIFO where .kittify/pricing.yaml goes is refused at once, naming the fix", async () => {
  const { root } = await projectWith(3);
  await Deno.mkdir(join(root, ".kittify"));
  const fifo = join(root, ".kittify", "pricing.yaml");
  assert.ok((await new Deno.Command("mkfifo", { args: [fifo] }).output()).success);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((r) => timer = setTimeout(() => r("hung"), 10_000));
  const run = await Promise.race([cli(["cost", "--root", root]), hung]);
  clearTimeout(timer);
  if (run === "hung") {
    // Let the stuck read go (a writer comes and leaves), then fail.
    (await Deno.open(fifo, { write: true })).close();
    assert.fail("cost waited on a FIFO in .kittify/pricing.yaml");
  }
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /pricing\.yaml: is a named pipe \(FIFO\), not a pricing file; move it aside/,
  );
});

Deno.test("a folder where .kittify/budgets.yaml goes: budget names the fix, report warns", async () => {
  const { root } = await projectWith(3);
  await Deno.mkdir(join(root, ".kittify", "budgets.yaml"), { recursive: true });
  const budget = await cli(["budget", "--root", root]);
  assert.equal(budget.code, 1);
  assert.match(budget.stderr, /budgets\.yaml: is a folder, not a budgets file; move it aside/);
  const report = await cli(["report", "--root", root, "--out", join(root, "r.html")]);
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stderr, /^warning: .*is a folder.*\(the report shows no budgets\)$/m);
});

Deno.test("--pricing and $KITTY_TELEMETRY_PRICING naming nothing or a folder: exit 2, named", async () => {
  const { root } = await projectWith(3);
  const missing = join(root, "none.yaml");
  const flag = await cli(["cost", "--root", root, "--pricing", missing]);
  assert.deepEqual(flag, {
    code: 2,
    stdout: "",
    stderr: `error: --pricing: no such file: ${missing} (give an existing pricing file)\n`,
  });
  const env = await cli(["cost", "--root", root], { env: { KITTY_TELEMETRY_PRICING: missing } });
  assert.equal(env.code, 2);
  assert.equal(
    env.stderr,
    `error: $KITTY_TELEMETRY_PRICING: no such file: ${missing} (give an existing pricing file)\n`,
  );
  const folder = await cli(["cost", "--root", root, "--pricing", root]);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /^error: --pricing: .*: is a folder, not a pricing file; give the/);
});

Deno.test("pricing check FILE reads a relative FILE from the command's folder", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    join(dir, "p.yaml"),
    "models:\n  my-model:\n    input: 1\n    output: 2\n",
  );
  const run = await cli(["pricing", "check", "p.yaml"], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^p\.yaml: ok \(1 models\)/);
});

Deno.test("a bad $KITTY_TELEMETRY_NODE_ID is named as such (not --node-id), for emit and import", async () => {
  const { root } = await projectWith(1);
  const env = { KITTY_TELEMETRY_NODE_ID: "x".repeat(100_000) };
  const emit = await cli(
    ["emit", "--root", root, "--feature", "f", "--agent", "a", "--role", "r"],
    {
      env,
    },
  );
  assert.equal(emit.code, 2);
  assert.match(emit.stderr, /^error: \$KITTY_TELEMETRY_NODE_ID: expected 1 to 256 characters/);
  const otlp = join(root, "logs.jsonl");
  await Deno.writeTextFile(
    otlp,
    (await cli(["export", "--root", root, "--signal", "logs"])).stdout,
  );
  const imported = await cli(
    ["import", "--root", await Deno.makeTempDir(), "--from", "otlp-json", otlp],
    { env },
  );
  assert.equal(imported.code, 2, imported.stderr);
  assert.match(imported.stderr, /^error: \$KITTY_TELEMETRY_NODE_ID: expected/);
});

Deno.test("--pricing and --budgets read a pipe, as a shell's <(...) gives them", async () => {
  const { root } = await projectWith(2);
  const dir = await Deno.makeTempDir();
  const feed = async (name: string, text: string) => {
    const fifo = join(dir, name);
    assert.ok((await new Deno.Command("mkfifo", { args: [fifo] }).output()).success);
    // Bounded: a command that refuses the pipe leaves the writer waiting for a reader.
    const writer = new Deno.Command("timeout", {
      args: ["10", "sh", "-c", `printf '%s' "$1" > "$2"`, "sh", text, fifo],
    }).spawn();
    return { fifo, done: writer.status };
  };
  const budgets = await feed("b", "budgets:\n  - {name: all, limit_usd: 1000}\n");
  const budget = await cli(["budget", "--root", root, "--budgets", budgets.fifo, "--json"]);
  await budgets.done;
  assert.equal(budget.code, 0, budget.stderr);
  assert.equal(JSON.parse(budget.stdout).budgets[0].name, "all");
  const prices = await feed("p", "models:\n  my-model:\n    input: 1\n    output: 2\n");
  const cost = await cli(["cost", "--root", root, "--pricing", prices.fifo]);
  await prices.done;
  assert.equal(cost.code, 0, cost.stderr);
  assert.match(cost.stderr, /overrides .*\/p\b/);
});
