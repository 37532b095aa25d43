// Small helpers shared by the built-in tools: schema builders, typed argument access, deterministic ids and the
// exact put-back that undo calls use.
import type { RecordDiff } from '../../trace/events.js';
import { ToolError, type FixtureRecord, type ToolContext, type ToolImpl } from '../types.js';

export const str = (description: string, extra: Record<string, unknown> = {}) => ({ type: 'string', description, ...extra });
export const num = (description: string, extra: Record<string, unknown> = {}) => ({ type: 'number', description, ...extra });

/** Tool inputs are closed objects: an argument the model invents is an error, not silently ignored. */
export function object(properties: Record<string, unknown>, required: string[]): Record<string, unknown> {
  return { type: 'object', properties, required, additionalProperties: false };
}

export function define(tool: ToolImpl): ToolImpl {
  return tool;
}

/** A required string argument. The gateway validated types already; tools are also called directly (undo, tests). */
export function arg(args: Record<string, unknown>, name: string): string {
  const v = args[name];
  if (typeof v !== 'string' || !v.trim()) throw new ToolError('invalid_args', `\`${name}\` is required`);
  return v.trim();
}

export function optArg(args: Record<string, unknown>, name: string): string | undefined {
  const v = args[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export function mustGet(ctx: ToolContext, system: string, collection: string, id: string): FixtureRecord {
  const r = ctx.store.get(system, collection, id);
  if (!r) throw new ToolError('not_found', `no ${collection.replace(/s$/, '')} with id "${id}"`);
  return r;
}

export const stamp = (ctx: ToolContext) => ctx.now().toISOString();

/** Ids of records a tool creates come from the call id, so a replay of the same calls creates the same ids. */
export const newId = (prefix: string, ctx: ToolContext) => `${prefix}-${ctx.callId.replace(/[^A-Za-z0-9_-]/g, '')}`;

/** The rollback-only `_restore` argument, honoured only when applyUndo runs the call (never for an agent). */
export function restoreOf<T extends object>(args: Record<string, unknown>, ctx: ToolContext): T | undefined {
  const r = args._restore;
  return ctx.undo && r && typeof r === 'object' && !Array.isArray(r) ? (r as T) : undefined;
}

/** The record as it was before the diff touched it (undoArgs read what to restore from here). */
export function beforeOf(diff: RecordDiff[], path: string): FixtureRecord | undefined {
  const d = diff.find((x) => x.record === path);
  return (d?.before ?? undefined) as FixtureRecord | undefined;
}

/**
 * Puts a record back exactly as given: replaces it field for field if it exists (dropping fields it did not
 * have), re-creates it otherwise (the store returns a re-created record to its old position).
 */
export function putBack(ctx: ToolContext, system: string, collection: string, record: FixtureRecord): RecordDiff {
  const current = ctx.store.get(system, collection, record.id);
  if (!current) return ctx.store.create(system, collection, record);
  const patch: Record<string, unknown> = { ...record };
  for (const k of Object.keys(current)) if (!(k in record)) patch[k] = undefined;
  return ctx.store.update(system, collection, record.id, patch);
}

const GENERIC = new Set(['example', 'com', 'inc', 'ltd', 'the', 'and', 'www']);

/** Every significant word of the query appears (so "acme logistics" finds both Acme accounts, "example" alone is too generic to matter). */
export function matches(haystack: unknown, query: string): boolean {
  const words = query.toLowerCase().split(/[^a-z0-9@]+/).filter((w) => w.length > 2 && !GENERIC.has(w));
  const text = JSON.stringify(haystack).toLowerCase();
  return words.length > 0 && words.every((w) => text.includes(w));
}

/** How many query words appear: ranks knowledge-base and issue search results. */
export function score(haystack: unknown, query: string): number {
  const text = JSON.stringify(haystack).toLowerCase();
  return [...new Set(query.toLowerCase().split(/\W+/).filter((w) => w.length > 2 && !GENERIC.has(w)))].reduce((n, w) => n + (text.includes(w) ? 1 : 0), 0);
}
