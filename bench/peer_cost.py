"""Peer for the cost benchmark: stream every feature log, group execution
events by model, count them and sum tokens and reported costs, with orjson
(default) or the stdlib json (--stdlib-json). Deliberately simpler than
kitty-telemetry (no pricing, no validation), so it is a floor for a script a
user might write instead.

Usage: python3 peer_cost.py [--stdlib-json] ROOT
Prints {"<model or (none)>": {"events": n, "input_tokens": n, ...}} as JSON.
"""
import glob, json, os, sys

args = sys.argv[1:]
if "--stdlib-json" in args:
    args.remove("--stdlib-json")
    loads = json.loads
else:
    import orjson  # fails loudly if missing: the bench then skips this peer

    loads = orjson.loads
if len(args) != 1:
    sys.exit("usage: peer_cost.py [--stdlib-json] ROOT")

FIELDS = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens")
groups = {}
for path in sorted(glob.glob(os.path.join(args[0], "kitty-specs", "*", "execution.events.jsonl"))):
    with open(path, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                e = loads(line)
            except Exception:
                continue
            if e.get("event_type") != "ExecutionEvent":
                continue
            p = e["payload"]
            model = p.get("model")
            g = groups.get(model)
            if g is None:
                g = groups[model] = [0, 0, 0, 0, 0, 0.0]
            g[0] += 1
            g[1] += p.get("input_tokens") or 0
            g[2] += p.get("output_tokens") or 0
            g[3] += p.get("cache_read_tokens") or 0
            g[4] += p.get("cache_write_tokens") or 0
            g[5] += p.get("cost_usd") or 0.0
out = {
    ("(none)" if m is None else m): dict(zip(("events",) + FIELDS + ("cost_usd",), g))
    for m, g in groups.items()
}
print(json.dumps(out))
