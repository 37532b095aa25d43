import { describe, expect, it } from 'vitest';
import { validateArgs } from './validate-args.js';
import { builtinTools } from './registry.js';

const refund = builtinTools().get('billing.refund')!.input;

describe('validateArgs', () => {
  it('accepts valid arguments', () => {
    expect(validateArgs(refund, { invoice_id: 'INV-1', amount: 5, reason: 'dup' })).toEqual([]);
  });

  it('names wrong types, missing and unknown arguments', () => {
    expect(validateArgs(refund, { invoice_id: 'I', amount: '12', extra: 1 })).toEqual([
      'reason: required',
      'amount: expected number, got "12"',
      'extra: unknown argument (allowed: invoice_id, amount, reason)',
    ]);
  });

  it('checks enums, ranges and lengths', () => {
    expect(validateArgs(builtinTools().get('tickets.set_priority')!.input, { ticket_id: 'T', priority: 'now' })).toEqual(['priority: expected one of "low" | "normal" | "high" | "urgent", got "now"']);
    expect(validateArgs(refund, { invoice_id: 'I', amount: 0, reason: 'r' })).toEqual(['amount: must be ≥ 0.01, got 0']);
    expect(validateArgs(refund, { invoice_id: 'I', amount: 2e6, reason: '' })).toEqual(['amount: must be ≤ 1000000, got 2000000', 'reason: must be at least 1 characters, got 0']);
    expect(validateArgs({ type: 'string', maxLength: 3 }, 'abcd', 'code')).toEqual(['code: must be at most 3 characters, got 4']);
  });

  it('tells integers from numbers and rejects null, arrays and non-objects where an object is expected', () => {
    const s = { type: 'object', properties: { n: { type: 'integer' }, f: { type: 'number' }, b: { type: 'boolean' } } };
    expect(validateArgs(s, { n: 1.5, f: 1.5, b: 'true' })).toEqual(['n: expected integer, got 1.5', 'b: expected boolean, got "true"']);
    expect(validateArgs(s, null)).toEqual(['(arguments): expected object, got null']);
    expect(validateArgs(s, [1])).toEqual(['(arguments): expected object, got [1]']);
    expect(validateArgs(s, undefined)).toEqual(['(arguments): expected object, got nothing']);
  });

  it('walks arrays and nested objects with their paths', () => {
    const s = {
      type: 'object',
      properties: { tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', enum: ['a', 'b'] } }, who: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false } },
      additionalProperties: false,
    };
    expect(validateArgs(s, { tags: ['a', 'c', 3], who: { name: 'x' } })).toEqual([
      'tags: must have at most 2 items, got 3',
      'tags[1]: expected one of "a" | "b", got "c"',
      'tags[2]: expected string, got 3',
      'who.id: required',
      'who.name: unknown argument (allowed: id)',
    ]);
    expect(validateArgs(s, { tags: [] })).toEqual(['tags: must have at least 1 items, got 0']);
  });

  it('supports type unions and an additionalProperties schema, and shortens long values', () => {
    expect(validateArgs({ type: ['string', 'null'] }, null)).toEqual([]);
    expect(validateArgs({ type: ['string', 'null'] }, 3, 'x')).toEqual(['x: expected string or null, got 3']);
    expect(validateArgs({ type: 'object', additionalProperties: { type: 'number' } }, { a: 1, b: 'two' })).toEqual(['b: expected number, got "two"']);
    expect(validateArgs({ type: 'number' }, 'y'.repeat(100), 'v')).toEqual([`v: expected number, got "${'y'.repeat(36)}...`]);
  });
});
