// The contract between the tool gateway and the tools. A tool is a verb on one system; it reads and writes only
// through the case's FixtureStore, so every change is a recorded diff that can be undone.
import type { RecordDiff } from '../trace/events.js';
import type { RiskClass } from '../plan/schema.js';

/** A record is a plain JSON object with a string `id`. */
export type FixtureRecord = { id: string } & Record<string, unknown>;

/** system → collection → records */
export type FixtureData = Record<string, Record<string, FixtureRecord[]>>;

export interface FixtureStore {
  get(system: string, collection: string, id: string): FixtureRecord | undefined;
  list(system: string, collection: string, filter?: (r: FixtureRecord) => boolean): FixtureRecord[];
  /** Appends the record; a record that was deleted from this store earlier goes back where it was. */
  create(system: string, collection: string, record: FixtureRecord): RecordDiff;
  /**
   * Shallow-merges `patch` into the record; a key whose patch value is `undefined` is removed (so an undo can
   * take away a field the original call added). Throws ToolError('not_found') if the record does not exist.
   */
  update(system: string, collection: string, id: string, patch: Record<string, unknown>): RecordDiff;
  delete(system: string, collection: string, id: string): RecordDiff;
  /** Every diff since the store was created, in order. */
  diffs(): RecordDiff[];
  /** A deep copy of the whole state (for the final-state snapshot). */
  snapshot(): FixtureData;
}

export interface ToolContext {
  store: FixtureStore;
  /** Unique per call within the run; writes use `${runId}:${callId}` as their idempotency key. */
  callId: string;
  runId: string;
  caseId: string;
  /** The case's clock (deterministic under replay). */
  now(): Date;
  /**
   * Set only by applyUndo (src/tools/undo.ts): this call reverses an earlier one, so the tool honours the
   * rollback-only `_restore` argument (exact ids, timestamps, previous values). Agents never get this.
   */
  undo?: boolean;
}

/** A failure the agent should see as a tool error result (not an agentrt crash). */
export class ToolError extends Error {
  constructor(
    readonly kind: 'not_found' | 'invalid_args' | 'conflict' | 'unavailable' | 'timeout' | 'denied' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export interface ToolImpl {
  /** `system.verb`, e.g. `crm.get_account`. */
  name: string;
  system: string;
  description: string;
  /** JSON Schema (type: object) for the arguments. */
  input: Record<string, unknown>;
  /** The class the built-in declares; the plan's `risk` is what is enforced. */
  risk: RiskClass;
  /** Name of the tool that reverses this one (reversible tools). */
  undo?: string;
  /** Builds the undo call's arguments from this call's args and result, e.g. the previous priority. */
  undoArgs?(args: Record<string, unknown>, result: unknown, diff: RecordDiff[]): Record<string, unknown>;
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<unknown> | unknown;
}
