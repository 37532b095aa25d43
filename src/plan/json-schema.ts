// The published JSON Schema of the plan, generated from the zod schema (the single source), for editors.
import { z } from 'zod';
import { runtimePlan } from './schema.js';

export const SCHEMA_ID = 'https://agentrt.dev/schema/runtime-plan.schema.json';

export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(runtimePlan, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: SCHEMA_ID, title: 'agentrt runtime plan' };
}

export function planJsonSchemaText(): string {
  return JSON.stringify(planJsonSchema(), null, 2) + '\n';
}
