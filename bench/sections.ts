/**
 * The benches that write one section of bench/RESULTS.md (junk, shapes)
 * replace that section and keep the rest of the file.
 */

/** Writes `section` (starting `## title`) into the file at `path` in place of the old one. */
export async function replaceSection(path: string, title: string, section: string): Promise<void> {
  const old = await Deno.readTextFile(path).catch(() => "");
  const start = old.indexOf(`\n## ${title}\n`);
  const next = start < 0 ? -1 : old.indexOf("\n## ", start + 1);
  const kept = start < 0 ? old.trimEnd() : old.slice(0, start).trimEnd() +
    (next < 0 ? "" : "\n" + old.slice(next).trimEnd());
  await Deno.writeTextFile(path, `${kept}\n\n${section}`);
}

/** The sections other benches own (`deno task bench` keeps them when it rewrites the file). */
export const OTHER_BENCH_SECTIONS = ["Junk", "Shapes"];

/** The `## title` sections of `text` named in `titles`, as they stand. */
export function sectionsOf(text: string, titles: readonly string[]): string[] {
  return titles.flatMap((title) => {
    const start = text.indexOf(`\n## ${title}\n`);
    if (start < 0) return [];
    const next = text.indexOf("\n## ", start + 1);
    return [text.slice(start + 1, next < 0 ? undefined : next).trimEnd(), ""];
  });
}
