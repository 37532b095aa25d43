// Builds the provider a plan names. The real key is read here from the host env var the plan names; it never
// enters the sandbox, the trace or a report (the caller adds it to the redaction list).
import type { ModelSpec } from '../plan/schema.js';
import { PlanError } from '../errors.js';
import type { Provider } from './types.js';
import { createOfflineProvider } from './offline.js';
import { createOpenAIProvider } from './openai.js';
import { createAnthropicProvider } from './anthropic.js';
import { resolvePrices } from './pricing.js';
import { createReplayProvider } from './replay.js';
import path from 'node:path';

const DEFAULT_BASE: Record<string, string> = { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' };

export function createProvider(model: ModelSpec, env: NodeJS.ProcessEnv, _opts: { planDir: string }): Provider {
  resolvePrices(model); // a real model without a price is refused before anything starts
  if (model.provider === 'offline') return createOfflineProvider({ name: model.name });
  if (model.provider === 'replay') return createReplayProvider(path.resolve(_opts.planDir, model.cassette ?? ''));
  const keyVar = model.api_key_env;
  const apiKey = keyVar ? env[keyVar] : undefined;
  if (!keyVar || !apiKey) {
    throw new PlanError(`the model key is missing: environment variable ${keyVar ?? '(none named)'} is not set`, {
      code: 'E_PLAN_API_KEY',
      details: [`export ${keyVar ?? 'OPENAI_API_KEY'}=… on the host (it never enters the sandbox), or use provider: offline`],
    });
  }
  const baseUrl = model.base_url ?? DEFAULT_BASE[model.provider]!;
  if (model.provider === 'anthropic') return createAnthropicProvider({ baseUrl, apiKey, model: model.name });
  return createOpenAIProvider({ id: model.provider, baseUrl, apiKey, model: model.name });
}
