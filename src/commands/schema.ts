// `agentrt schema [-o file]`: the plan's JSON Schema (committed as schema/runtime-plan.schema.json).
import { promises as fs } from 'node:fs';
import type { Io } from '../io.js';
import { planJsonSchemaText } from '../plan/json-schema.js';

export async function schema(opts: { output?: string }, io: Io): Promise<number> {
  const text = planJsonSchemaText();
  if (opts.output) {
    await fs.writeFile(opts.output, text);
    io.err(`wrote ${opts.output}\n`);
  } else io.out(text);
  return 0;
}
