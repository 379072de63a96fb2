import { MemoryStore } from "../src/store/memory_store.ts";
import { JsonlStore } from "../src/store/jsonl_store.ts";
import { storeContract } from "./store_contract.ts";
import { tempProject } from "./helpers.ts";

storeContract("MemoryStore", () => Promise.resolve(new MemoryStore()));
storeContract("JsonlStore", async () =>
  new JsonlStore(await tempProject(), {
    onWarning: (m) => {
      throw new Error(`unexpected warning: ${m}`);
    },
  }));
