/**
 * Drives chromium for `report_browser_test.ts`, in a process of its own:
 * playwright-core needs more of the system (/proc, the home folder) than
 * the test suite is allowed, so the suite runs this with `--allow-all` and
 * asserts on what it prints.
 *
 * Usage: `deno run -A tests/report_browser_driver.ts probe` prints `ok` or
 * why there is no browser; `... look FILE OUTDIR` opens FILE with the
 * network blocked, saves screenshots in OUTDIR and prints what it saw as
 * one JSON object.
 */

/** Pinned: the npm package that drives chromium (this one place). */
const PLAYWRIGHT = "npm:playwright-core@1.65.1";
/** Debian's chromium, as `.ci/run` installs it. */
export const CHROMIUM = "/usr/bin/chromium";

type Playwright = typeof import("npm:playwright-core@1.65.1");

/** What the page showed. */
export interface Seen {
  charts: { name: string | null; marks: number }[];
  spendBars: number;
  totals: [string, string][];
  unpriced: string;
  sortedEvents: number[];
  topRows: number;
  /** Each budget row: its name cell, its status cell, and whether its bar has a width. */
  budgets: { name: string; status: string; bar: number }[];
  phoneOverflow: number;
  /** Elements wider than the phone's page, outside a scroll box. */
  phoneCulprits: string[];
  left: string[];
  errors: string[];
  screenshot: string;
}

async function load(): Promise<Playwright | string> {
  try {
    if (!(await Deno.stat(CHROMIUM)).isFile) return `${CHROMIUM} is not a file`;
  } catch {
    return `${CHROMIUM} not found; .ci/run installs it with apt-get install -y chromium`;
  }
  try {
    return await import(PLAYWRIGHT) as Playwright;
  } catch (error) {
    return `${PLAYWRIGHT} cannot be loaded: ${(error as Error).message.split("\n")[0]}`;
  }
}

async function look(pw: Playwright, file: string, out: string): Promise<Seen> {
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const url = new URL(`file://${file}`).href;
    const left: string[] = [];
    const errors: string[] = [];
    // Every route but the file itself is blocked, and recorded.
    await page.route("**/*", (route) => {
      if (route.request().url() === url) return route.continue();
      left.push(route.request().url());
      return route.abort();
    });
    page.on("request", (r) => {
      if (r.url() !== url) left.push(r.url());
    });
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url, { waitUntil: "load" });
    const charts = await page.$$eval("svg.chart", (svgs) =>
      svgs.map((s) => ({
        name: s.getAttribute("data-chart"),
        marks: s.querySelectorAll("rect, path").length,
      })));
    const spendBars = await page.$$eval("svg[data-chart=spend] rect.bar", (r) => r.length);
    const totals = await page.$$eval(
      "[data-total]",
      (els) =>
        els.map((e) =>
          [e.getAttribute("data-total")!, e.getAttribute("data-value")!] as [
            string,
            string,
          ]
        ),
    );
    const unpriced = await page.$eval("[data-unpriced]", (e) => e.textContent ?? "");
    // A click on the Events header sorts the feature table.
    await page.click("table[data-table=feature] th:nth-child(4)");
    const sortedEvents = await page.$$eval(
      "table[data-table=feature] tbody tr",
      (rows) => rows.map((r) => Number(r.cells[3].getAttribute("data-sort"))),
    );
    const topRows = await page.$$eval("table[data-table=top] tbody tr", (r) => r.length);
    const budgets = await page.$$eval(
      "table[data-table=budgets] tbody tr",
      (rows) =>
        rows.map((r) => ({
          name: r.cells[0].textContent ?? "",
          status: r.cells[7].textContent ?? "",
          bar: r.cells[5].querySelector("span")?.getBoundingClientRect().width ?? 0,
        })),
    );
    await Deno.mkdir(out, { recursive: true });
    const screenshot = `${out}/report.png`;
    await page.screenshot({ path: screenshot, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const phoneOverflow = await page.$eval("html", (h) => h.scrollWidth - h.clientWidth);
    // What sticks out, so a red run names the element (a scroll box's insides are fine).
    const phoneCulprits = await page.$$eval("body *", (els) => {
      const width = els[0]?.ownerDocument.documentElement.clientWidth ?? 0;
      return els.filter((e) =>
        e.getBoundingClientRect().right > width + 0.5 &&
        e.parentElement?.closest(".scroll") === null
      )
        .map((e) => `<${e.tagName.toLowerCase()}> ${(e.textContent ?? "").slice(0, 60)}`);
    });
    await page.screenshot({ path: `${out}/report-phone.png`, fullPage: true });
    return {
      charts,
      spendBars,
      totals,
      unpriced,
      sortedEvents,
      topRows,
      budgets,
      phoneOverflow,
      phoneCulprits,
      left,
      errors,
      screenshot,
    };
  } finally {
    await browser.close();
  }
}

if (import.meta.main) {
  const [mode, file, out] = Deno.args;
  const pw = await load();
  if (typeof pw === "string") console.log(pw);
  else if (mode === "probe") console.log("ok");
  else console.log(JSON.stringify(await look(pw, file, out)));
}
