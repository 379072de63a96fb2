/**
 * The floor `bench/shapes.ts` compares with: a file's bytes read once (1 MiB
 * reads into one buffer) and its newlines counted, which any line reader
 * has to do at least. Prints the count.
 *
 * Usage: deno run --allow-read bench/read_once.ts FILE
 */
const file = await Deno.open(Deno.args[0]);
const buffer = new Uint8Array(1 << 20);
let lines = 0;
for (let n = await file.read(buffer); n !== null; n = await file.read(buffer)) {
  for (let i = buffer.indexOf(10); i >= 0 && i < n; i = buffer.indexOf(10, i + 1)) lines++;
}
file.close();
console.log(lines);
