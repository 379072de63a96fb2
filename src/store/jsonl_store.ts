/**
 * The JSONL {@linkcode EventStore}: one append-only file per feature at
 * `kitty-specs/<feature>/execution.events.jsonl`.
 *
 * @module
 */
import { normalizeEventId } from "../event/event_id.ts";
import type { Event } from "../event/envelope.ts";
import { compareEvents } from "../event/order.ts";
import { mergeClockStates } from "../clock/lamport.ts";
import type { EventStore, SaveOptions } from "./event_store.ts";
import { appendToFeature } from "./feature_log.ts";
import { scanLog, type WarningSink } from "../read/log_reader.ts";
import { ProjectLayout } from "./project_layout.ts";

/** Options for {@linkcode JsonlStore}. */
export interface JsonlStoreOptions {
  /** Receives diagnostics such as skipped lines; default: stderr. */
  onWarning?: WarningSink;
}

/**
 * Events stored as JSON lines under a project root.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonlStore } from "./jsonl_store.ts";
 * const store = new JsonlStore(await Deno.makeTempDir());
 * const event = {
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "Note",
 *   aggregate_id: "043-x", lamport_clock: 1, node_id: "n1",
 *   causation_id: null, timestamp: "2026-02-16T09:12:58Z", payload: {},
 * };
 * assert.ok(await store.save(event));
 * assert.ok((await store.loadAggregate("043-x")).length === 1);
 * ```
 */
export class JsonlStore implements EventStore {
  /** Where the files live. */
  readonly layout: ProjectLayout;
  readonly #onWarning: WarningSink;

  /** A store for the project at `root`. */
  constructor(root: string, options: JsonlStoreOptions = {}) {
    this.layout = new ProjectLayout(root);
    this.#onWarning = options.onWarning ?? ((m) => console.error(`warning: ${m}`));
  }

  /**
   * Appends the event to its feature's log unless its id is stored already
   * (in any spelling).
   * The feature's clock file is raised to the event's clock for its node.
   */
  async save(event: Event, options: SaveOptions = {}): Promise<boolean> {
    const result = await appendToFeature(
      this.layout,
      event.aggregate_id,
      options.freshId ? [] : [event.event_id],
      ({ clock, existing }) =>
        existing.has(normalizeEventId(event.event_id)) ? { events: [], clock } : {
          events: [event],
          clock: mergeClockStates(clock, {
            [event.node_id]: event.lamport_clock,
          }),
        },
      this.#onWarning,
    );
    return result.events.length > 0;
  }

  /** Events of one feature in total order. */
  async loadAggregate(aggregateId: string): Promise<Event[]> {
    const events = await Array.fromAsync(this.stream(aggregateId));
    return events.sort(compareEvents);
  }

  /** Every feature's events in total order. */
  async loadAll(): Promise<Event[]> {
    const events: Event[] = [];
    for (const feature of await this.layout.features()) {
      for await (const event of this.stream(feature)) events.push(event);
    }
    return events.sort(compareEvents);
  }

  /**
   * Streams one feature's events in file order, in constant memory. Events
   * whose `aggregate_id` differs from the folder are still yielded: the
   * folder is where they were written.
   */
  stream(feature: string): AsyncGenerator<Event> {
    return scanLog(this.layout.logPath(feature), this.#onWarning);
  }
}
