/**
 * Lamport clocks: a pure counter, and the per-feature map of node counters
 * that is persisted next to each log.
 *
 * @module
 */
import { MAX_LAMPORT_CLOCK } from "../event/clock_ceiling.ts";
import { KIND_CHECKS } from "../event/field_checks.ts";

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

/** The clock ceiling, defined with the field table (see `fields.ts`). */
export { MAX_LAMPORT_CLOCK };

/**
 * True for a clock value a reader accepts: an integer from 0 to
 * {@linkcode MAX_LAMPORT_CLOCK}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isAcceptedClock } from "./lamport.ts";
 * assert.ok(isAcceptedClock(7) && !isAcceptedClock(2 ** 53 - 1) && !isAcceptedClock(-1));
 * ```
 */
export function isAcceptedClock(value: unknown): value is number {
  return KIND_CHECKS.clock(value);
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
 * including values merged in from other machines. Values over
 * {@linkcode MAX_LAMPORT_CLOCK} are ignored, and the result never passes
 * it: at the ceiling (reachable only by importing a value at it) events
 * share the value and are ordered by node and id, instead of being refused.
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
  const seen = Math.max(0, ...Object.values(state).filter(isAcceptedClock));
  const own = Object.hasOwn(state, nodeId) && isAcceptedClock(state[nodeId]) ? state[nodeId] : 0;
  const value = Math.min(new LamportClock(own).update(seen), MAX_LAMPORT_CLOCK);
  const next = mergeClockStates(state);
  next[nodeId] = value;
  return { value, state: next };
}

/**
 * The per-node maximum of several clock states; values that are not
 * accepted clocks (see {@linkcode isAcceptedClock}) are left out.
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
  const out = emptyClock();
  for (const state of states) {
    for (const [node, value] of Object.entries(state)) {
      if (!isAcceptedClock(value)) continue;
      out[node] = Object.hasOwn(out, node) ? Math.max(out[node], value) : value;
    }
  }
  return out;
}
