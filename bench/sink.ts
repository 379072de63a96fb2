/**
 * An OTLP/HTTP receiver for `bench:export --push` that reads each request's
 * body whole and answers `{}`, as a Collector that accepts everything would:
 * it listens on 127.0.0.1 (a free port), prints the port on stdout, and
 * runs until killed.
 *
 * Usage: deno run --allow-net=127.0.0.1 bench/sink.ts
 */
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
  await req.arrayBuffer();
  return new Response("{}", { headers: { "content-type": "application/json" } });
});
console.log(server.addr.port);
