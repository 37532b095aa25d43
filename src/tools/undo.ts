// Rollback of a case: which recorded changes can be reversed with their undo tools (newest first), which cannot
// (irreversible, or no usable undo), and running the undos against a fixture store. Pure apart from the store.
import type { RecordDiff } from '../trace/events.js';
import { validateArgs } from './validate-args.js';
import { ToolError, type FixtureStore, type ToolContext, type ToolImpl } from './types.js';

/** One tool call as the trace recorded it. */
export interface RecordedCall {
  tool: string;
  args: Record<string, unknown>;
  result: unknown;
  diff: RecordDiff[];
  callId?: string;
}

export interface UndoCall {
  tool: string;
  args: Record<string, unknown>;
  /** The call this one reverses. */
  reverses: { tool: string; callId?: string };
  /** The records the original call changed (`system.collection.id`). */
  records: string[];
}

export interface Unrecoverable {
  tool: string;
  callId?: string;
  records: string[];
  why: string;
}

export interface UndoPlan {
  /** Newest change first: later changes may build on earlier ones. */
  calls: UndoCall[];
  /** Changes that stay: irreversible actions, and reversible ones whose undo is missing or unusable. */
  irreversible: Unrecoverable[];
}

const recordsOf = (diff: RecordDiff[]) => [...new Set(diff.map((d) => d.record))];

export function planUndo(toolCalls: RecordedCall[], tools: Map<string, ToolImpl>): UndoPlan {
  const calls: UndoCall[] = [];
  const irreversible: Unrecoverable[] = [];
  for (const call of [...toolCalls].reverse()) {
    // Reads and failed calls changed nothing; there is nothing to reverse.
    if (!call.diff.length) continue;
    const records = recordsOf(call.diff);
    const who = { tool: call.tool, ...(call.callId !== undefined ? { callId: call.callId } : {}) };
    const cannot = (why: string) => irreversible.push({ ...who, records, why });
    const tool = tools.get(call.tool);
    if (!tool) {
      cannot(`"${call.tool}" is not a tool of this plan, so its undo is unknown`);
      continue;
    }
    if (tool.risk === 'irreversible') {
      cannot(`${call.tool} is irreversible`);
      continue;
    }
    if (!tool.undo) {
      cannot(`${call.tool} names no undo tool`);
      continue;
    }
    if (!tools.has(tool.undo)) {
      cannot(`its undo tool ${tool.undo} is not a tool of this plan`);
      continue;
    }
    if (!tool.undoArgs) {
      cannot(`${call.tool} cannot build arguments for its undo tool ${tool.undo}`);
      continue;
    }
    try {
      calls.push({ tool: tool.undo, args: tool.undoArgs(call.args, call.result, call.diff), reverses: who, records });
    } catch (err) {
      cannot(`building the arguments of ${tool.undo} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { calls, irreversible };
}

export interface UndoOutcome {
  call: UndoCall;
  ok: boolean;
  diff: RecordDiff[];
  error?: string;
}

/**
 * Runs the undo calls in order against the store. A failing undo does not stop the others (each reverses its own
 * records); every outcome is returned so the caller can report what was and was not reversed.
 */
export async function applyUndo(
  store: FixtureStore,
  tools: Map<string, ToolImpl>,
  calls: UndoCall[],
  ctx: Omit<ToolContext, 'store' | 'callId' | 'undo'>,
): Promise<UndoOutcome[]> {
  const outcomes: UndoOutcome[] = [];
  for (const [i, call] of calls.entries()) {
    const tool = tools.get(call.tool);
    const before = store.diffs().length;
    try {
      if (!tool) throw new ToolError('not_found', `undo tool ${call.tool} is not available`);
      // A plain undo must be a call the agent could have made. One carrying the rollback-only `_restore` puts
      // back recorded data, which need not meet the agent-facing limits (a seeded record may be shorter).
      const problems = call.args._restore === undefined ? validateArgs(tool.input, call.args) : [];
      if (problems.length) throw new ToolError('invalid_args', problems.join('; '));
      const callId = `undo-${i + 1}-${call.reverses.callId ?? call.reverses.tool}`;
      await tool.run(call.args, { ...ctx, store, callId, undo: true });
      outcomes.push({ call, ok: true, diff: store.diffs().slice(before) });
    } catch (err) {
      outcomes.push({ call, ok: false, diff: store.diffs().slice(before), error: err instanceof Error ? err.message : String(err) });
    }
  }
  return outcomes;
}
