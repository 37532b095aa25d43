import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planJsonSchemaText } from './json-schema.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('published JSON Schema', () => {
  it('the committed schema/runtime-plan.schema.json equals what `agentrt schema` prints', () => {
    const committed = readFileSync(path.join(root, 'schema/runtime-plan.schema.json'), 'utf8');
    expect(committed, 'schema drifted: run `npm run docs`').toBe(planJsonSchemaText());
  });

  it('carries the descriptions and enums editors show', () => {
    const schema = JSON.parse(planJsonSchemaText()) as { properties: Record<string, { description?: string }>; required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'name', 'owner', 'workflow', 'systems', 'tools', 'controls', 'rollback', 'model', 'agent']));
    expect(schema.properties.owner?.description).toMatch(/person or role/);
    expect(planJsonSchemaText()).toContain('"irreversible"');
  });
});

describe('plan reference docs', () => {
  it('docs/plan-reference.md equals what the schema generates', async () => {
    const { planReferenceMarkdown } = await import('./reference.js');
    const committed = readFileSync(path.join(root, 'docs/plan-reference.md'), 'utf8');
    expect(committed, 'docs drifted: run `npm run docs`').toBe(planReferenceMarkdown());
  });
});
