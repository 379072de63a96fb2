/**
 * The contract every EventStore keeps. Each store's test file calls
 * {@linkcode storeContract} with a factory for a fresh, empty store.
 */
import assert from "node:assert/strict";
import type { Event } from "../src/event/envelope.ts";
import type { EventStore } from "../src/store/event_store.ts";
import { payload } from "./helpers.ts";

let counter = 0;

/** A valid execution event; ids are unique ULIDs per call. */
export function sampleEvent(overrides: Partial<Event> = {}): Event {
  counter++;
  return {
    event_id: `01KHJVJWDM0HGAGYGX${String(counter).padStart(8, "0")}`,
    event_type: "ExecutionEvent",
    aggregate_id: "043-contract",
    lamport_clock: counter,
    node_id: "node-a",
    causation_id: null,
    timestamp: "2026-02-16T09:12:58.036Z",
    payload: payload(),
    ...overrides,
  };
}

/** Registers the contract tests for one store. */
export function storeContract(name: string, fresh: () => Promise<EventStore>): void {
  Deno.test(`${name}: a saved event loads back equal`, async () => {
    const store = await fresh();
    const event = sampleEvent();
    assert.equal(await store.save(event), true);
    assert.deepEqual(await store.loadAggregate(event.aggregate_id), [event]);
  });

  Deno.test(`${name}: saving the same event_id twice writes nothing the second time`, async () => {
    const store = await fresh();
    const event = sampleEvent();
    assert.equal(await store.save(event), true);
    assert.equal(await store.save({ ...event, payload: payload({ agent: "other" }) }), false);
    const loaded = await store.loadAll();
    assert.equal(loaded.length, 1);
    assert.equal((loaded[0].payload as { agent: string }).agent, "claude");
  });

  Deno.test(`${name}: an id saved again in another spelling writes nothing`, async () => {
    const store = await fresh();
    const event = sampleEvent({ event_id: "0123456789abcdef0123456789abcdef" });
    assert.equal(await store.save(event), true);
    const hyphenated = "01234567-89AB-CDEF-0123-456789ABCDEF";
    assert.equal(await store.save({ ...event, event_id: hyphenated }), false);
    assert.equal((await store.loadAll()).length, 1);
  });

  Deno.test(`${name}: loads come in (lamport_clock, node_id, event_id) order`, async () => {
    const store = await fresh();
    const a = sampleEvent({ lamport_clock: 2, node_id: "b" });
    const b = sampleEvent({ lamport_clock: 2, node_id: "a" });
    const c = sampleEvent({ lamport_clock: 1, node_id: "z" });
    const d = sampleEvent({
      lamport_clock: 2,
      node_id: "a",
      event_id: "01KHJVJWDM0HGAGYGX00000000",
    });
    for (const e of [a, b, c, d]) await store.save(e);
    const ids = (await store.loadAll()).map((e) => e.event_id);
    assert.deepEqual(ids, [c.event_id, d.event_id, b.event_id, a.event_id]);
  });

  Deno.test(`${name}: loadAggregate returns only that aggregate`, async () => {
    const store = await fresh();
    const x = sampleEvent({ aggregate_id: "001-x" });
    const y = sampleEvent({ aggregate_id: "002-y" });
    await store.save(x);
    await store.save(y);
    assert.deepEqual(await store.loadAggregate("001-x"), [x]);
    assert.deepEqual(await store.loadAggregate("003-none"), []);
    assert.equal((await store.loadAll()).length, 2);
  });

  Deno.test(`${name}: an empty store loads nothing`, async () => {
    const store = await fresh();
    assert.deepEqual(await store.loadAll(), []);
  });

  Deno.test(`${name}: non-execution events and unknown top-level keys round-trip`, async () => {
    const store = await fresh();
    const event = sampleEvent({ event_type: "PhaseStarted", payload: { phase: "plan" } });
    const withExtra = { ...event, schema_version: 2 } as Event;
    await store.save(withExtra);
    assert.deepEqual(await store.loadAll(), [withExtra]);
  });
}
