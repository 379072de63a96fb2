/**
 * `cost --format markdown` is pasted into pull requests and chat, where it
 * is rendered: a name must stay text there. Only `|` was escaped, so an
 * agent named `<img src=https://…>` became an image fetched from that host
 * when the comment was viewed, `[x](https://…)` a link, `*x*` emphasis,
 * and `x\|y` split its row (`\\|` is an escaped backslash, then a cell
 * separator). Checked with a CommonMark + GFM-tables renderer (markdown-it).
 */
import assert from "node:assert/strict";
import { cli, emitted, tempProject } from "./helpers.ts";

// A test-only package, loaded here: markdown as GitHub renders tables (GFM).
const MARKDOWN_IT = "npm:markdown-it@14.1.0";
const { default: MarkdownIt } = await import(
  MARKDOWN_IT
) as typeof import("npm:markdown-it@14.1.0");

const NOW = new Date("2026-03-02T10:00:00.000Z");
const NAMES = [
  `<img src="https://tracker.example/p.png">`,
  "[click](https://evil.example)",
  "*bold* _it_ ~~gone~~ `code`",
  "x\\|y",
  "tail\\",
  "&lt;not an entity&gt;",
  "plain-name",
];

Deno.test("a pricing file path with markdown characters stays text in the prices line", async () => {
  const root = await tempProject();
  const dir = `${root}/odd_*dir*_[x]`;
  await Deno.mkdir(dir);
  await Deno.writeTextFile(
    `${dir}/p.yaml`,
    "models:\n  m:\n    source: t\n    input: 1\n    output: 2\n",
  );
  await emitted(root, ["--model", "m", "--input-tokens", "5"], { now: NOW });
  const md = await cli([
    "cost",
    "--root",
    root,
    "--format",
    "markdown",
    "--pricing",
    `${dir}/p.yaml`,
  ], { now: NOW });
  assert.equal(md.code, 0, md.stderr);
  const html = new MarkdownIt().render(md.stdout);
  const em = /<p><em>(.*)<\/em><\/p>/.exec(html);
  assert.ok(em !== null, html);
  assert.ok(em[1].includes(`${dir}/p.yaml`), em[1]);
});

Deno.test("names in cost --format markdown render as themselves: no element, link or cell split", async () => {
  const root = await tempProject();
  for (const agent of NAMES) {
    await emitted(root, ["--agent", agent, "--cost-usd", "1"], { now: NOW });
  }
  const md = await cli(["cost", "--root", root, "--format", "markdown", "--sort", "key"], {
    now: NOW,
  });
  assert.equal(md.code, 0, md.stderr);
  const html = new MarkdownIt({ html: true, linkify: false }).render(md.stdout);
  // The only elements: the table's, and the TOTAL row's bold, and the prices line's em.
  const tags = new Set([...html.matchAll(/<([a-z0-9]+)/g)].map((m) => m[1]));
  assert.deepEqual([...tags].sort(), [
    "em",
    "p",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
  ]);
  const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1])
  );
  assert.ok(rows.every((r) => r.length === 9), rows.map((r) => r.length).join(","));
  const decode = (s: string) =>
    s.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll(
      "&amp;",
      "&",
    );
  const shown = rows.slice(1, -1).map((r) => decode(r[0]));
  assert.deepEqual(shown.sort(), [...NAMES].sort());
});
