/**
 * An in-memory {@linkcode EventStore}, for tests and embedding.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { compareEvents } from "../event/order.ts";
import { normalizeEventId } from "../event/event_id.ts";
import type { EventStore } from "./event_store.ts";

/**
 * Keeps events in a map by normalised id (one event, however its id is spelled).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemoryStore } from "./memory_store.ts";
 * const store = new MemoryStore();
 * const event = {
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "Note",
 *   aggregate_id: "043-x", lamport_clock: 1, node_id: "n1",
 *   causation_id: null, timestamp: "2026-02-16T09:12:58Z", payload: {},
 * };
 * assert.ok(await store.save(event));
 * assert.ok(!(await store.save(event)));
 * ```
 */
export class MemoryStore implements EventStore {
  #events = new Map<string, Event>();

  /** Stores a copy of the event unless its id is present (in any spelling). */
  save(event: Event): Promise<boolean> {
    const id = normalizeEventId(event.event_id);
    if (this.#events.has(id)) return Promise.resolve(false);
    this.#events.set(id, structuredClone(event));
    return Promise.resolve(true);
  }

  /** Events of one aggregate, in total order. */
  loadAggregate(aggregateId: string): Promise<Event[]> {
    return Promise.resolve(
      this.#sorted().filter((e) => e.aggregate_id === aggregateId),
    );
  }

  /** Every event, in total order. */
  loadAll(): Promise<Event[]> {
    return Promise.resolve(this.#sorted());
  }

  #sorted(): Event[] {
    return [...this.#events.values()].map((e) => structuredClone(e)).sort(
      compareEvents,
    );
  }
}
