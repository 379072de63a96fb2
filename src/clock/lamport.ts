/**
 * Lamport clocks: a pure counter, and the per-feature map of node counters
 * that is persisted next to each log.
 *
 * @module
 */

/**
 * A Lamport clock for one node.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LamportClock } from "./lamport.ts";
 * const clock = new LamportClock(3);
 * assert.ok(clock.tick() === 4);
 * assert.ok(clock.update(10) === 11);
 * assert.ok(clock.current() === 11);
 * ```
 */
export class LamportClock {
  #value: number;

  /** Starts the clock at `initial` (the last value used; 0 for none). */
  constructor(initial = 0) {
    assertClockValue(initial);
    this.#value = initial;
  }

  /** Advances for a local event and returns the new value. */
  tick(): number {
    return this.#set(this.#value + 1);
  }

  /** Merges a value seen elsewhere: `max(local, remote) + 1`. */
  update(remote: number): number {
    assertClockValue(remote);
    return this.#set(Math.max(this.#value, remote) + 1);
  }

  /** The last value used, without advancing. */
  current(): number {
    return this.#value;
  }

  #set(value: number): number {
    assertClockValue(value);
    this.#value = value;
    return value;
  }
}

function assertClockValue(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Lamport clock value out of range: ${value}`);
  }
}

/** Last clock value used per node id, as stored in `.telemetry-clock.json`. */
export type ClockState = Record<string, number>;

/**
 * A clock state with no prototype: node ids are data, and a node named
 * `constructor` or `__proto__` must be a key like any other.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyClock } from "./lamport.ts";
 * const state = emptyClock();
 * state["__proto__"] = 2;
 * assert.ok(state.constructor === undefined && Object.keys(state).length === 1);
 * ```
 */
export function emptyClock(): ClockState {
  return Object.create(null);
}

/**
 * Gives `nodeId` its next value. The node is treated as having seen every
 * value in the state (it is all in the same file), so the result is above
 * every node's value: Lamport order then respects what this machine saw,
 * including values merged in from other machines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { advance } from "./lamport.ts";
 * const { value, state } = advance({ a: 5, b: 2 }, "b");
 * assert.ok(value === 6 && state.b === 6 && state.a === 5);
 * ```
 */
export function advance(
  state: ClockState,
  nodeId: string,
): { value: number; state: ClockState } {
  const seen = Math.max(0, ...Object.values(state));
  const clock = new LamportClock(state[nodeId] ?? 0);
  const value = clock.update(seen);
  return { value, state: { ...state, [nodeId]: value } };
}

/**
 * The per-node maximum of several clock states.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeClockStates } from "./lamport.ts";
 * const m = mergeClockStates({ a: 1, b: 4 }, { a: 3 });
 * assert.ok(m.a === 3 && m.b === 4);
 * ```
 */
export function mergeClockStates(...states: ClockState[]): ClockState {
  const out: ClockState = {};
  for (const state of states) {
    for (const [node, value] of Object.entries(state)) {
      out[node] = Math.max(out[node] ?? 0, value);
    }
  }
  return out;
}
