"""Peer for the cost benchmark: stream every feature log, group execution
events by model, sum tokens and reported costs (orjson when available, else
the stdlib json). Deliberately simpler than kitty-telemetry (no pricing, no
validation), so it is a floor for a script a user might write instead."""
import glob, os, sys

try:
    import orjson as json_mod
    loads = json_mod.loads
    NAME = "python+orjson"
except ImportError:  # pragma: no cover
    import json as json_mod
    loads = json_mod.loads
    NAME = "python+json"

root = sys.argv[1]
groups = {}
for path in sorted(glob.glob(os.path.join(root, "kitty-specs", "*", "execution.events.jsonl"))):
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
            g = groups.setdefault(p.get("model"), [0, 0, 0.0, 0])
            g[0] += p.get("input_tokens") or 0
            g[1] += p.get("output_tokens") or 0
            g[2] += p.get("cost_usd") or 0.0
            g[3] += 1
print(len(groups), sum(g[3] for g in groups.values()))
