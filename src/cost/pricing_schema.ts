/**
 * The zod schemas of pricing files, apart from the pricing logic so that
 * code pricing events (in scan workers too) does not load the schema
 * library.
 *
 * @module
 */
import { z } from "../deps.ts";
import { nameRecord } from "../name_record.ts";

const rate = z.number().min(0).max(1e6);
const day = z.union([
  z.string().refine(
    (t) =>
      /^\d{4}-\d{2}-\d{2}$/.test(t) && !Number.isNaN(Date.parse(`${t}T00:00:00Z`)) &&
      new Date(`${t}T00:00:00Z`).toISOString().startsWith(t),
    { message: "expected a date YYYY-MM-DD" },
  ),
  z.date(),
]);

const TierSchema = z.strictObject({
  above_input_tokens: z.number().int().min(0),
  input: rate,
  output: rate,
  cache_read: rate.optional(),
  cache_write: rate.optional(),
  cache_write_1h: rate.optional(),
});

/** One price period: rates in force from 00:00 UTC of `from` until the next period. */
export const PeriodSchema = z.strictObject({
  from: day.optional(),
  input: rate,
  output: rate,
  cache_read: rate.optional(),
  cache_write: rate.optional(),
  cache_write_1h: rate.optional(),
  tiers: z.array(TierSchema).default([]),
});

const RATE_KEYS = [
  "input",
  "output",
  "cache_read",
  "cache_write",
  "cache_write_1h",
  "input_per_1k",
  "output_per_1k",
] as const;

/**
 * A model entry: flat rates in our layout (per million) or spec-kitty's
 * (per 1k); or `prices:`, a list of dated periods; or only `aliases`, to
 * add names to the built-in entry of the same id.
 */
export const ModelEntrySchema = z.strictObject({
  input: rate.optional(),
  output: rate.optional(),
  cache_read: rate.optional(),
  cache_write: rate.optional(),
  cache_write_1h: rate.optional(),
  input_per_1k: rate.optional(),
  output_per_1k: rate.optional(),
  aliases: z.array(z.string().min(1)).default([]),
  tiers: z.array(TierSchema).default([]),
  prices: z.array(PeriodSchema).min(1).optional(),
  source: z.string().optional(),
}).superRefine((e, ctx) => {
  const flat = RATE_KEYS.some((k) => e[k] !== undefined) || e.tiers.length > 0;
  const fail = (message: string, path: (string | number)[] = []) =>
    ctx.addIssue({ code: "custom", message, path });
  if (e.prices) {
    if (flat) fail("give either flat rates or prices: (a list of periods), not both");
    e.prices.forEach((p, i) => {
      if (i > 0 && p.from === undefined) {
        fail("every period but the first needs from:", ["prices", i]);
      }
      const prev = e.prices![i - 1]?.from;
      if (i > 0 && prev !== undefined && p.from !== undefined && dayText(p.from) <= dayText(prev)) {
        fail("periods must be in order of from:, each later than the one before", ["prices", i]);
      }
    });
    return;
  }
  if (!flat) {
    if (e.aliases.length === 0) {
      fail("needs rates (input, output), prices:, or aliases to add to the built-in entry");
    }
    return;
  }
  if ((e.input !== undefined) === (e.input_per_1k !== undefined)) {
    fail("needs exactly one of input (per million) or input_per_1k");
  }
  if ((e.output !== undefined) === (e.output_per_1k !== undefined)) {
    fail("needs exactly one of output (per million) or output_per_1k");
  }
});

/** A `YYYY-MM-DD` as YAML gives it (a string, or a Date when unquoted). */
export function dayText(value: string | Date): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : value;
}

/** The whole file. */
export const PricingFileSchema = z.looseObject({
  updated: z.union([z.string(), z.date()]).optional(),
  models: nameRecord(z.string().min(1), ModelEntrySchema),
});

/** A parsed model entry. */
export type ModelEntry = z.infer<typeof ModelEntrySchema>;
