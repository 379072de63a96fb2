/**
 * A small real file system to fill up (a tmpfs, mounted for one test and
 * unmounted after), and the probes the adversarial file-system tests share.
 */
import { join } from "node:path";

/** Whether this process can mount a tmpfs (root on Linux, mount(8) present): tried once. */
export const CAN_MOUNT = await (async () => {
  if (Deno.build.os !== "linux") return false;
  const dir = await Deno.makeTempDir();
  try {
    const mounted = await run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir);
    if (mounted) await run("umount", dir);
    return mounted;
  } catch {
    return false;
  } finally {
    await Deno.remove(dir).catch(() => {});
  }
})();

async function run(command: string, ...args: string[]): Promise<boolean> {
  return (await new Deno.Command(command, { args, stdout: "null", stderr: "null" }).output())
    .success;
}

/** A tmpfs of `kib` KiB mounted at a fresh folder, unmounted (and removed) when disposed. */
export async function smallDisk(kib = 256): Promise<AsyncDisposable & { dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "kitty-disk-" });
  if (!(await run("mount", "-t", "tmpfs", "-o", `size=${kib}k`, "tmpfs", dir))) {
    throw new Error(`could not mount a tmpfs at ${dir}`);
  }
  return {
    dir,
    [Symbol.asyncDispose]: async () => {
      await run("umount", dir);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * Fills the file system holding `dir` with a file `dir/filler` until a write
 * is refused; `spare` pages are given back after (room for a temp file).
 */
export async function fill(dir: string, sparePages = 0): Promise<void> {
  const spare = join(dir, "spare");
  await Deno.writeFile(spare, new Uint8Array(4096 * sparePages));
  using file = await Deno.open(join(dir, "filler"), { write: true, create: true });
  const block = new Uint8Array(4096);
  try {
    while (true) await file.write(block);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOSPC") throw error;
  }
  await Deno.remove(spare);
}

/** The names in `dir`, sorted (to see nothing was left behind). */
export async function namesIn(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}
