#!/usr/bin/env python3
"""A minimal orchestrator: run an agent, then record what it did with
kitty-telemetry. Standard library only.

    python3 examples/orchestrator.py --root /path/to/project --feature 043-demo --wp WP01

The agent here is a stand-in that prints Claude Code's JSON result (so the
example runs anywhere); replace AGENT_COMMAND with e.g.
["claude", "-p", prompt, "--output-format", "json"].

How kitty-telemetry is started comes from KITTY_TELEMETRY_CMD (a shell-style
command line, e.g. "kitty-telemetry" once installed); the default runs this
checkout's main.ts with Deno under the narrowest permissions: $DENO, else deno
on PATH, else `npx -y deno@2.9.6` (a machine with only Node.js and npm).
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

FAKE_AGENT = r"""
import json
print(json.dumps({"type": "result", "subtype": "success", "is_error": False,
  "duration_ms": 4210, "result": "Implemented WP01.", "total_cost_usd": 0.0525,
  "usage": {"input_tokens": 1200, "output_tokens": 900, "cache_read_input_tokens": 40000,
            "cache_creation_input_tokens": 2000},
  "modelUsage": {"claude-sonnet-4-5-20250929": {"inputTokens": 1200, "outputTokens": 900,
    "cacheReadInputTokens": 40000, "cacheCreationInputTokens": 2000, "costUSD": 0.0525}}}))
"""
AGENT_COMMAND = [sys.executable, "-c", FAKE_AGENT]


def telemetry_command():
    """The command that starts kitty-telemetry."""
    configured = os.environ.get("KITTY_TELEMETRY_CMD")
    if configured:
        return shlex.split(configured)
    return deno_command() + [
        "run", "--quiet", "--no-prompt", "--allow-read", "--allow-write",
        "--allow-env=KITTY_TELEMETRY_NODE_ID,KITTY_TELEMETRY_ROOT,"
        "KITTY_TELEMETRY_PRICING,NO_COLOR", "--allow-sys=hostname",
        os.path.join(HERE, "..", "main.ts")]


def deno_command():
    """Deno: $DENO, else deno on PATH, else npx -y deno@2.9.6 (a machine with
    only Node.js and npm), else the checkout's .tools copy."""
    if os.environ.get("DENO"):
        return [os.environ["DENO"]]
    if shutil.which("deno"):
        return [shutil.which("deno")]
    if shutil.which("npx"):
        return [shutil.which("npx"), "-y", "deno@2.9.6"]
    tools = os.path.join(HERE, "..", ".tools", "node_modules", ".bin", "deno")
    if os.path.exists(tools):
        return [tools]
    raise SystemExit("kitty-telemetry needs Deno: install it, or Node.js and npm "
                     "(for npx -y deno@2.9.6), or set DENO or KITTY_TELEMETRY_CMD")


def new_event_id():
    """A ULID made up front, so a retried emit cannot record the run twice."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join(alphabet[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def emit(args, agent_output, event_id, attempts=3):
    """Record the run from the agent's own JSON; retry safely on failure."""
    cmd = telemetry_command() + [
        "emit", "--from", "claude-json", "--feature", args.feature, "--wp", args.wp,
        "--role", "implementer", "--event-id", event_id, "--root", args.root, "--json",
    ]
    for attempt in range(1, attempts + 1):
        done = subprocess.run(cmd, input=agent_output, capture_output=True, text=True)
        if done.returncode == 0:
            return [json.loads(line) for line in done.stdout.splitlines()]
        if done.returncode == 2:  # bad input: retrying will not help
            raise SystemExit(f"telemetry rejected the run: {done.stderr.strip()}")
        print(f"emit attempt {attempt} failed: {done.stderr.strip()}", file=sys.stderr)
        time.sleep(0.2 * attempt)
    raise SystemExit("telemetry unavailable; the run was not recorded")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--feature", required=True)
    parser.add_argument("--wp", default="WP01")
    args = parser.parse_args()

    event_id = new_event_id()
    agent = subprocess.run(AGENT_COMMAND, capture_output=True, text=True)
    # A failed agent run is recorded too: its output says so (is_error).
    events = emit(args, agent.stdout, event_id)
    for event in events:
        p = event["payload"]
        print(f"recorded {event['event_id']}: {p['agent']} {p['model']} "
              f"in={p['input_tokens']} out={p['output_tokens']} cost={p['cost_usd']}")

    report = subprocess.run(telemetry_command() + ["cost", "--json", "--feature", args.feature,
                                                   "--root", args.root],
                            capture_output=True, text=True, check=True)
    total = json.loads(report.stdout)["total"]
    print(f"feature {args.feature}: {total['event_count']} event(s), "
          f"${total['total_cost_usd']:.6f}")


if __name__ == "__main__":
    main()
