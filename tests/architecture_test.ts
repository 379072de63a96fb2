/**
 * The layout's rules, checked on the source: imports point one way between
 * folders, the model imports nothing of the readers, stores or reports,
 * the pure core does no I/O, and no file outgrows one concept.
 */
import assert from "node:assert/strict";

const SRC = new URL("../src/", import.meta.url);

async function sources(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: URL, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url, `${prefix}${entry.name}/`);
      else if (/\.(ts|wat)$/.test(entry.name)) {
        files.set(`${prefix}${entry.name}`, await Deno.readTextFile(url));
      }
    }
  };
  await walk(SRC, "");
  return files;
}

/** Folder-to-folder imports (`event -> read`), comments and examples left out. */
function folderEdges(files: Map<string, string>): Set<string> {
  const edges = new Set<string>();
  for (const [path, text] of files) {
    const from = path.includes("/") ? path.slice(0, path.indexOf("/")) : ".";
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "");
    for (const m of code.matchAll(/from\s+"\.\.\/([a-z_]+)\//g)) {
      if (m[1] !== from) edges.add(`${from} -> ${m[1]}`);
    }
  }
  return edges;
}

Deno.test("no folder under src/ imports a folder that imports it back, directly or not", async () => {
  const edges = folderEdges(await sources());
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [a, b] = edge.split(" -> ");
    next.set(a, [...next.get(a) ?? [], b]);
  }
  const cycles: string[] = [];
  const visit = (node: string, path: string[]) => {
    for (const to of next.get(node) ?? []) {
      if (path.includes(to)) cycles.push([...path.slice(path.indexOf(to)), to].join(" -> "));
      else visit(to, [...path, to]);
    }
  };
  for (const node of next.keys()) visit(node, [node]);
  assert.deepEqual(cycles, []);
  assert.ok(edges.size > 10, "the import scan found the folders' imports");
});

Deno.test("event/ imports no other folder; nothing under src/ imports cli/", async () => {
  const edges = [...folderEdges(await sources())];
  assert.deepEqual(edges.filter((e) => e.startsWith("event -> ")), []);
  assert.deepEqual(edges.filter((e) => e.endsWith("-> cli") && !e.startsWith("cli ")), []);
  assert.ok(edges.includes("read -> event"));
});

Deno.test("event/, cost/, report/ and budget/ do no I/O", async () => {
  const offenders = [...(await sources())]
    .filter(([path]) => /^(event|cost|report|budget)\//.test(path))
    .filter(([, text]) =>
      /\bDeno\.(?!errors\b)[a-zA-Z]+/.test(text.replace(/\/\*[\s\S]*?\*\//g, ""))
    )
    .map(([path]) => path);
  assert.deepEqual(offenders, []);
});

Deno.test("no source file (TypeScript or WebAssembly text) is over 300 lines", async () => {
  const long = [...(await sources())]
    .map(([path, text]) => [path, text.split("\n").length - 1] as const)
    .filter(([, lines]) => lines > 300);
  assert.deepEqual(long, []);
});
