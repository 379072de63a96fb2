/**
 * The contract every event store keeps (the shared suite in
 * `tests/store_contract.ts` checks it).
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";

/** Options for {@linkcode EventStore.save}. */
export interface SaveOptions {
  /**
   * The caller minted `event_id` just now, so it cannot already be stored:
   * the store may skip its duplicate check (which costs a log scan).
   */
  freshId?: boolean;
}

/**
 * An append-only, idempotent store of events.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { EventStore } from "./event_store.ts";
 * import { MemoryStore } from "./memory_store.ts";
 * const store: EventStore = new MemoryStore();
 * assert.ok((await store.loadAll()).length === 0);
 * ```
 */
export interface EventStore {
  /** Stores one event; resolves to false (writing nothing) if its id is stored already. */
  save(event: Event, options?: SaveOptions): Promise<boolean>;
  /** Events of one aggregate in total order `(lamport_clock, node_id, event_id)`. */
  loadAggregate(aggregateId: string): Promise<Event[]>;
  /** Every event in total order. */
  loadAll(): Promise<Event[]>;
}
