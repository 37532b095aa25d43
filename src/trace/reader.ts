// Reads case traces back. Tolerant by design: a trace cut short by a crash (a half-written last line) is still
// readable, and events of an older schema version are returned as they are (fields are only ever added).
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { EventOf, TraceEvent } from './events.js';

export interface ReadTrace {
  events: TraceEvent[];
  /** Lines that could not be parsed (only the last line of a crashed run, normally). */
  badLines: number[];
}

export async function readTraceFile(file: string): Promise<ReadTrace> {
  const events: TraceEvent[] = [];
  const badLines: number[] = [];
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as TraceEvent);
    } catch {
      badLines.push(n);
    }
  }
  return { events, badLines };
}

export function eventsOf<T extends TraceEvent['type']>(events: TraceEvent[], type: T): EventOf<T>[] {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

/**
 * Rebuilds the full message list the agent sent on each model call. The writer stores only what is new since the
 * previous call (prefix_len + new_messages), so the trace grows linearly; this undoes that.
 */
export function reconstructRequests(events: TraceEvent[]): unknown[][] {
  const out: unknown[][] = [];
  let previous: unknown[] = [];
  for (const e of eventsOf(events, 'model.call')) {
    const messages = [...previous.slice(0, e.request.prefix_len), ...e.request.new_messages];
    out.push(messages);
    // The proxy diffs against the last successful request only (see model-proxy.ts).
    if (!e.error) previous = messages;
  }
  return out;
}

/** Case trace files of a run directory, in a stable order. */
export async function listCaseTraces(runDir: string): Promise<string[]> {
  const dir = path.join(runDir, 'cases');
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.ndjson'))
    .sort()
    .map((n) => path.join(dir, n));
}
