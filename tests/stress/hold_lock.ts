/** Holds the OS lock on a file until killed. Usage: hold_lock.ts PATH */
const file = await Deno.open(Deno.args[0], { read: true, append: true, create: true });
await file.lock(true);
console.log("locked");
// A pending timer keeps the process (and so the lock) alive until killed.
setInterval(() => {}, 60_000);
