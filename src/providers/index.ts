// Builds the provider a plan names. Keys are read from the host env var the plan names, here and nowhere else.
import type { ModelSpec } from '../plan/schema.js';
import { PlanError } from '../errors.js';
import type { Provider } from './types.js';
import { createOfflineProvider } from './offline.js';
import { resolvePrices } from './pricing.js';

export function createProvider(model: ModelSpec, env: NodeJS.ProcessEnv, _opts: { planDir: string }): Provider {
  resolvePrices(model); // a real model without a price is refused before anything starts
  if (model.provider === 'offline') return createOfflineProvider({ name: model.name });
  const keyVar = model.api_key_env;
  if (model.provider !== 'replay' && (!keyVar || !env[keyVar])) {
    throw new PlanError(`the model key is missing: environment variable ${keyVar ?? '(none named)'} is not set`, {
      code: 'E_PLAN_API_KEY',
      details: [`export ${keyVar ?? 'OPENAI_API_KEY'}=… on the host (it never enters the sandbox), or use provider: offline`],
    });
  }
  throw new PlanError(`provider "${model.provider}" is not available in this build`, {
    code: 'E_PLAN_PROVIDER',
    details: ['available: offline'],
  });
}
