/**
 * The HTML report in a real browser: Debian's chromium driven by npm
 * playwright-core (both installed by `.ci/run`), in a process of its own
 * (`report_browser_driver.ts`). The page is opened with every network route
 * blocked; the test checks that nothing tries to leave, nothing logs an
 * error, every chart drew marks, the totals equal `cost --json`, the tables
 * sort, a phone-width page does not scroll sideways; and it leaves
 * screenshots for a person in tests/output/ (git-ignored). Without chromium
 * or playwright-core the test is ignored and says why.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, REPO_ROOT } from "./helpers.ts";
import type { Seen } from "./report_browser_driver.ts";

const DRIVER = join(REPO_ROOT, "tests", "report_browser_driver.ts");
/** Where the screenshots stay after the run. */
const OUTPUT = join(REPO_ROOT, "tests", "output");

async function driver(...args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", DRIVER, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0) {
    return `the driver failed (exit ${out.code}): ${new TextDecoder().decode(out.stderr).trim()}`;
  }
  return stdout;
}

const probe = await driver("probe");
if (probe !== "ok") console.log(`skipped: no chromium (${probe})`);

Deno.test({
  name: "the demo report in chromium: offline, no errors, charts drawn, totals = cost --json",
  ignore: probe !== "ok",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "kitty-report-" });
    const file = join(dir, "report.html");
    // The report prints the project's paths; a long one with no hyphen to break at must
    // wrap, not widen a phone's page (CI's clone path once did, by 9 px).
    const demo = join(dir, "aprojectfolderwithalongnameandnobreaks".repeat(2), "demo");
    await Deno.mkdir(demo, { recursive: true });
    const copied = await new Deno.Command("cp", {
      // `join` would drop a trailing "/.", and cp would then nest the folder.
      args: ["-R", `${join(REPO_ROOT, "examples", "demo")}/.`, demo],
    }).output();
    assert.equal(copied.code, 0, new TextDecoder().decode(copied.stderr));
    // Made "now", just after the demo's last run.
    const made = await cli(["report", "--root", demo, "--out", file], {
      now: new Date("2026-11-30T09:00:00Z"),
    });
    assert.equal(made.code, 0, made.stderr);
    const cost = await cli(["cost", "--root", demo, "--json"]);
    assert.equal(cost.code, 0, cost.stderr);
    const expected = JSON.parse(cost.stdout).total as Record<string, unknown>;

    const printed = await driver("look", file, OUTPUT);
    assert.ok(printed.startsWith("{"), printed);
    const seen = JSON.parse(printed) as Seen;
    assert.deepEqual(seen.left, [], "requests that left the page");
    assert.deepEqual(seen.errors, [], "console errors");
    assert.deepEqual(
      seen.charts.map((c) => c.name).sort(),
      ["agents", "durations", "models", "outcome", "roles", "savings", "spend"],
    );
    for (const chart of seen.charts) assert.ok(chart.marks > 0, `chart ${chart.name} is empty`);
    assert.ok(seen.spendBars >= 7, `${seen.spendBars} spend bars`);
    assert.ok(seen.totals.length >= 10, `${seen.totals.length} totals on the page`);
    for (const [field, value] of seen.totals) {
      assert.equal(Number(value), expected[field], `total ${field}`);
    }
    assert.match(seen.unpriced, /local-qwen-coder/);
    assert.ok(seen.sortedEvents.length >= 3);
    assert.deepEqual(seen.sortedEvents, [...seen.sortedEvents].sort((a, b) => b - a));
    assert.notDeepEqual(seen.sortedEvents, [...seen.sortedEvents].reverse());
    assert.equal(seen.topRows, 20);
    // The demo's budgets: one row each, with its status, as `budget` gives them.
    assert.deepEqual(seen.budgets.map((b) => [b.name, b.status]), [
      ["whole project, monthly", "ok"],
      ["search indexer", "warn"],
      ["usage dashboard", "over"],
    ]);
    for (const b of seen.budgets) assert.ok(b.bar > 0, `budget ${b.name}'s bar is not drawn`);
    assert.deepEqual(seen.phoneCulprits, [], "wider than a phone");
    assert.ok(seen.phoneOverflow <= 0, `a phone scrolls sideways by ${seen.phoneOverflow}px`);
    console.log(`screenshots: ${seen.screenshot} and report-phone.png beside it`);
  },
});
