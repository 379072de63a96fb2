/**
 * The agent output adapters by `--from` name: pure functions that turn what
 * a coding agent printed (Claude Code, Codex CLI, Gemini CLI) into
 * execution-event payload fields. Conventions are in `common.ts`.
 *
 * @module
 */
import type { Adapter, AdapterName } from "./common.ts";
import { adaptClaudeJson } from "./claude_json.ts";
import { adaptCodexJsonl } from "./codex_jsonl.ts";
import { adaptGeminiJson } from "./gemini_json.ts";

export type { AdaptedRun, Adapter, AdapterName } from "./common.ts";

/**
 * The adapters by `--from` name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ADAPTERS } from "./adapter.ts";
 * const runs = ADAPTERS["gemini-json"]('{"response":"ok","stats":{"models":{}}}');
 * assert.ok(runs.length === 1 && runs[0].success);
 * ```
 */
export const ADAPTERS: Record<AdapterName, Adapter> = {
  "claude-json": adaptClaudeJson,
  "codex-jsonl": adaptCodexJsonl,
  "gemini-json": adaptGeminiJson,
};
