/**
 * The zod schemas of pricing files, apart from the pricing logic so that
 * code pricing events (in scan workers too) does not load the schema
 * library.
 *
 * @module
 */
import { z } from "../deps.ts";

const rate = z.number().min(0).max(1e6);

/** A model entry in our layout (per million) or spec-kitty's (per 1k). */
export const ModelEntrySchema = z.strictObject({
  input: rate.optional(),
  output: rate.optional(),
  cache_read: rate.optional(),
  cache_write: rate.optional(),
  input_per_1k: rate.optional(),
  output_per_1k: rate.optional(),
  aliases: z.array(z.string().min(1)).default([]),
  tiers: z.array(z.strictObject({
    above_input_tokens: z.number().int().min(0),
    input: rate,
    output: rate,
    cache_read: rate.optional(),
    cache_write: rate.optional(),
  })).default([]),
}).refine(
  (e) => (e.input !== undefined) !== (e.input_per_1k !== undefined),
  { message: "needs exactly one of input (per million) or input_per_1k" },
).refine(
  (e) => (e.output !== undefined) !== (e.output_per_1k !== undefined),
  { message: "needs exactly one of output (per million) or output_per_1k" },
);

/** The whole file. */
export const PricingFileSchema = z.looseObject({
  updated: z.union([z.string(), z.date()]).optional(),
  models: z.record(z.string().min(1), ModelEntrySchema),
});

/** A parsed model entry. */
export type ModelEntry = z.infer<typeof ModelEntrySchema>;
