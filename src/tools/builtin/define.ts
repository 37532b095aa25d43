// Small helpers shared by the built-in tools: schema builders and typed argument access.
import { ToolError, type FixtureRecord, type ToolContext, type ToolImpl } from '../types.js';

export const str = (description: string, extra: Record<string, unknown> = {}) => ({ type: 'string', description, ...extra });
export const num = (description: string, extra: Record<string, unknown> = {}) => ({ type: 'number', description, ...extra });

export function object(properties: Record<string, unknown>, required: string[]): Record<string, unknown> {
  return { type: 'object', properties, required, additionalProperties: false };
}

export function define(tool: ToolImpl): ToolImpl {
  return tool;
}

export function arg(args: Record<string, unknown>, name: string): string {
  const v = args[name];
  if (typeof v !== 'string' || !v.trim()) throw new ToolError('invalid_args', `\`${name}\` is required`);
  return v.trim();
}

export function mustGet(ctx: ToolContext, system: string, collection: string, id: string): FixtureRecord {
  const r = ctx.store.get(system, collection, id);
  if (!r) throw new ToolError('not_found', `no ${collection.replace(/s$/, '')} with id "${id}"`);
  return r;
}

export const stamp = (ctx: ToolContext) => ctx.now().toISOString();

/** Ids of records a tool creates: deterministic per call, so a replay creates the same ids. */
export const newId = (prefix: string, ctx: ToolContext) => `${prefix}-${ctx.callId.replace(/[^A-Za-z0-9]/g, '').slice(-10).toUpperCase()}`;

/** Every significant word of the query appears (so "acme logistics" finds both Acme accounts, "example" alone is too generic to matter). */
export function matches(haystack: unknown, query: string): boolean {
  const words = query.toLowerCase().split(/[^a-z0-9@]+/).filter((w) => w.length > 2 && !GENERIC.has(w));
  const text = JSON.stringify(haystack).toLowerCase();
  return words.length > 0 && words.every((w) => text.includes(w));
}

const GENERIC = new Set(['example', 'com', 'inc', 'ltd', 'the', 'and', 'www']);

export function score(haystack: unknown, query: string): number {
  const text = JSON.stringify(haystack).toLowerCase();
  return query
    .toLowerCase()
    .split(/\W+/)
    .filter((w) => w.length > 2)
    .reduce((n, w) => n + (text.includes(w) ? 1 : 0), 0);
}
