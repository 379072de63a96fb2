/**
 * The HTML report read as a browser reads it (parse5, the WHATWG parser),
 * with names a team controls: markup, quotes, `&`, U+2028/2029, emoji, RTL
 * text and bidi controls, the longest names `emit` takes. The page must hold
 * no markup from the data, stay one file with no network, show each name
 * whole (no half of a surrogate pair), keep a name's bidi controls from
 * reordering the money written next to it, and total what `cost --json` does.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, emitted, tempProject } from "./helpers.ts";

// The WHATWG parser, as browsers parse (a test-only package, loaded here).
const PARSE5 = "npm:parse5@7.3.0";
const { parse } = await import(PARSE5) as typeof import("npm:parse5@7.3.0");
const NOW = new Date("2026-03-02T10:00:00.000Z");

interface Node {
  nodeName: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  content?: Node;
}

const RLO = "\u202e", PDI = "\u2069";
const NAMES = {
  agent: `${"a".repeat(18)}😀${RLO}tail`, // cut after 19 code units: half an emoji
  role: `</style></title><script>alert("r")</script>&amp;'`,
  model: `model${RLO}x`,
  wp: `שלום עולם`, // Hebrew: strong right-to-left letters
  second: `x\u2028y\u2029z 🏳️‍🌈 ${"L".repeat(230)}`,
};

async function project(): Promise<string> {
  const root = join(await tempProject(), `p<script>alert(1)</script>"'&`);
  await Deno.mkdir(join(root, ".kittify"), { recursive: true });
  const emits = [
    ["--agent", NAMES.agent, "--role", NAMES.role, "--model", NAMES.model, "--wp", NAMES.wp],
    ["--agent", NAMES.second, "--role", "r", "--model", "claude-sonnet-4-5", "--wp", NAMES.second],
    ["--agent", "plain", "--role", "r"],
    ["--agent", "plain", "--role", "r", "--model", NAMES.model], // unpriced: named in a note
  ];
  for (const [i, args] of emits.entries()) {
    const cost = [["--cost-usd", "0.5"], [], ["--cost-usd", "0.000001"], []][i];
    await emitted(root, ["--input-tokens", "1000", ...cost, ...args], { now: NOW });
  }
  return root;
}

async function page(root: string, filters: string[] = []): Promise<{ html: string; doc: Node }> {
  const run = await cli(["report", "--root", root, "--out", "-", ...filters], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  return { html: run.stdout, doc: parse(run.stdout) as unknown as Node };
}

function* elements(node: Node): Generator<Node> {
  if (node.attrs !== undefined) yield node;
  for (const child of node.childNodes ?? []) yield* elements(child);
  if (node.content) yield* elements(node.content);
}

/** Elements that start a bidi paragraph of their own (a block, an SVG text, a tooltip). */
const PARAGRAPHS = new Set([
  "p",
  "div",
  "td",
  "th",
  "h1",
  "h2",
  "h3",
  "title",
  "text",
  "section",
  "header",
  "main",
  "body",
  "style",
  "script",
]);

/** Each paragraph's text: what its inline descendants hold, blocks inside it apart. */
function paragraphs(doc: Node): string[] {
  const out: string[] = [];
  const textOf = (node: Node): string =>
    (node.childNodes ?? []).map((c) =>
      c.nodeName === "#text" ? c.value! : PARAGRAPHS.has(c.nodeName) ? "" : textOf(c)
    ).join("");
  for (const el of elements(doc)) if (PARAGRAPHS.has(el.nodeName)) out.push(textOf(el));
  return out;
}

Deno.test("names with markup, quotes and odd characters stay text: no element, attribute or script from the data", async () => {
  const { html, doc } = await page(await project());
  const all = [...elements(doc)];
  const tags = new Set(all.map((e) => e.nodeName));
  for (const tag of tags) {
    assert.match(
      tag,
      /^(html|head|body|meta|title|style|script|header|main|section|h[123]|p|div|span|b|i|code|table|thead|tbody|tr|th|td|svg|rect|text|line|path|circle)$/,
      tag,
    );
  }
  const scripts = all.filter((e) => e.nodeName === "script");
  assert.equal(scripts.length, 1);
  assert.match(
    scripts[0].childNodes![0].value!,
    /^\s*document\.querySelectorAll\("table\.sortable"\)/,
  );
  for (const e of all) {
    for (const a of e.attrs!) {
      assert.doesNotMatch(a.name, /^on/, `${e.nodeName} ${a.name}`);
      assert.ok(!["src", "href", "action", "srcdoc"].includes(a.name), `${e.nodeName} ${a.name}`);
      assert.doesNotMatch(a.value, /https?:|url\(/, `${e.nodeName} ${a.name}=${a.value}`);
    }
  }
  const texts = paragraphs(doc).join("\n");
  for (const name of [NAMES.role, NAMES.model, NAMES.wp, NAMES.second]) {
    assert.ok(texts.includes(name), `${JSON.stringify(name.slice(0, 40))} shown whole somewhere`);
  }
  assert.doesNotMatch(html, /<script>alert/);
});

Deno.test("a long name cut for a chart label keeps whole characters (it split an emoji into U+FFFD)", async () => {
  const { html, doc } = await page(await project());
  assert.ok(!html.includes("\ufffd"), "no replacement character in the page");
  const labels = [...elements(doc)].filter((e) =>
    e.nodeName === "text" && e.attrs!.some((a) => a.name === "class" && a.value === "label")
  ).map((e) => e.childNodes!.find((c) => c.nodeName === "#text")!.value!);
  const cut = labels.filter((l) => l.startsWith("a".repeat(18)));
  assert.ok(cut.length >= 1, "the long agent is a bar label");
  for (const label of cut) assert.equal(label, `${"a".repeat(18)}😀…`);
});

Deno.test("a name's bidi controls or RTL letters do not reorder the text around it", async () => {
  const root = await project();
  const all = [
    ...paragraphs((await page(root)).doc),
    ...paragraphs((await page(root, ["--agent", NAMES.agent, "--agent", "plain"])).doc),
  ];
  const names = [NAMES.agent, NAMES.model, NAMES.wp];
  let checked = 0;
  for (const text of all) {
    // Where each name sits in this paragraph.
    const inName = new Uint8Array(text.length);
    for (const name of names) {
      for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
        inName.fill(1, at, at + name.length);
        // Text after a name is what its direction can pull along: it must
        // be closed off by an isolate first.
        const after = text.slice(at + name.length);
        if (after.trim() === "") continue;
        checked++;
        assert.equal(after[0], PDI, `isolated in ${JSON.stringify(text.slice(0, 120))}`);
      }
    }
    // The explicit embeddings open after each character outside the names.
    const stack: ("iso" | "emb")[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if ("\u2066\u2067\u2068".includes(c)) stack.push("iso");
      else if ("\u202a\u202b\u202d\u202e".includes(c)) stack.push("emb");
      else if (c === "\u202c" && stack.at(-1) === "emb") stack.pop();
      else if (c === PDI && stack.includes("iso")) { while (stack.pop() !== "iso"); }
      // Outside the names, no embedding or override a name opened is still in force.
      if (inName[i]) continue;
      assert.ok(!stack.includes("emb"), `${JSON.stringify(text.slice(0, 120))} at ${i}`);
    }
  }
  assert.ok(checked >= 3, `names next to other text: ${checked}`);
});

Deno.test("the page's totals are cost --json's for the same project and filters", async () => {
  const root = await project();
  for (
    const filters of [
      [],
      ["--agent", NAMES.agent],
      ["--model", NAMES.model],
      ["--model", "Claude-Sonnet-4.5", "--success", "true"],
      ["--success", "false"],
      ["--since", "2026-03-02T10:00:00+00:00", "--until", "2026-03-02"],
      ["--until", "2026-03-01"],
    ]
  ) {
    const run = await cli(["report", "--root", root, "--out", "-", ...filters], { now: NOW });
    assert.equal(run.code, 0, run.stderr);
    const cost = await cli(["cost", "--root", root, "--json", ...filters], { now: NOW });
    assert.equal(cost.code, 0, cost.stderr);
    const total = JSON.parse(cost.stdout).total;
    const shown = new Map(
      [...run.stdout.matchAll(/data-total="([a-z_]+)" data-value="([^"]*)"/g)].map((
        m,
      ) => [m[1], m[2]]),
    );
    assert.ok(shown.size >= 6, "the totals are on the page");
    for (const [field, value] of shown) {
      assert.equal(value, String(total[field]), `${filters} ${field}`);
    }
  }
});

Deno.test("a spend too small for 4 decimals does not read as zero on the page (it showed $0.0000)", async () => {
  const root = await tempProject();
  await emitted(root, ["--cost-usd", "0.00002"], { now: NOW });
  const { html } = await page(root);
  assert.match(html, /data-total="total_cost_usd" data-value="0.00002"><b>\$0\.000020<\/b>/);
  assert.doesNotMatch(html, /\$0\.0000</);
});
