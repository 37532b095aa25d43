// Regenerates the committed schema and plan reference from the zod schema (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { planJsonSchemaText } from '../dist/plan/json-schema.js';
import { planReferenceMarkdown } from '../dist/plan/reference.js';

writeFileSync(new URL('../schema/runtime-plan.schema.json', import.meta.url), planJsonSchemaText());
writeFileSync(new URL('../docs/plan-reference.md', import.meta.url), planReferenceMarkdown());
console.log('wrote schema/runtime-plan.schema.json and docs/plan-reference.md');
