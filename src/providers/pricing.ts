// Prices: the plan's `model.prices` win, else the pinned price file shipped with agentrt. A real model with no
// price is an error before the first call — never a silent $0.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelSpec } from '../plan/schema.js';
import type { Usage } from '../trace/events.js';
import { PlanError } from '../errors.js';
import { packageRoot } from '../paths.js';

export interface Prices {
  input_per_mtok: number;
  output_per_mtok: number;
  cache_read_per_mtok?: number | undefined;
  cache_write_per_mtok?: number | undefined;
}

export const PRICE_FILE = path.join(packageRoot, 'prices', 'prices.json');

function priceFile(): { models: Record<string, Prices> } {
  return JSON.parse(readFileSync(PRICE_FILE, 'utf8')) as { models: Record<string, Prices> };
}

export function resolvePrices(model: ModelSpec): Prices {
  if (model.prices) return model.prices;
  const pinned = priceFile().models[`${model.provider}/${model.name}`];
  if (pinned) return pinned;
  if (model.provider === 'offline' || model.provider === 'replay') return { input_per_mtok: 0, output_per_mtok: 0 };
  throw new PlanError(`model ${model.provider}/${model.name} has no price`, {
    code: 'E_PLAN_NO_PRICE',
    details: ['add `model.prices: {input_per_mtok: …, output_per_mtok: …}` to the plan; agentrt never assumes $0 for a real model'],
  });
}

/** Exact cost. Cache reads/writes have their own prices; when the provider publishes none, input price applies. */
export function costUsd(usage: Usage, p: Prices): number {
  const cost =
    usage.input_tokens * p.input_per_mtok +
    usage.output_tokens * p.output_per_mtok +
    usage.cache_read_tokens * (p.cache_read_per_mtok ?? p.input_per_mtok) +
    usage.cache_write_tokens * (p.cache_write_per_mtok ?? p.input_per_mtok);
  return cost / 1e6;
}

export async function hashPriceFile(): Promise<string> {
  return createHash('sha256').update(readFileSync(PRICE_FILE)).digest('hex');
}
