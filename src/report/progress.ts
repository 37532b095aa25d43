// Live progress, derived from trace events only (reporters observe, never decide). One reducer feeds both the
// ink view on a TTY and the plain-line view in CI.
import type { TraceEvent } from '../trace/events.js';

export interface CaseProgress {
  key: string;
  title: string;
  startedAt: number;
  step: string;
  steps: number;
  tokens: number;
  costUsd: number;
  done: boolean;
  stop?: string;
  /** Set by the eval once the case is scored. */
  verdict?: 'pass' | 'fail' | 'infra_error';
  durationMs?: number;
}

export function newProgress(key: string, title: string): CaseProgress {
  return { key, title, startedAt: Date.now(), step: 'starting sandbox', steps: 0, tokens: 0, costUsd: 0, done: false };
}

/** Applies one event; returns a short line worth printing in plain mode, if any. */
export function applyEvent(p: CaseProgress, e: TraceEvent): string | undefined {
  switch (e.type) {
    case 'sandbox.start':
      p.step = 'agent started';
      return 'agent started';
    case 'model.call': {
      p.steps++;
      p.tokens += e.usage.input_tokens + e.usage.output_tokens + e.usage.cache_read_tokens + e.usage.cache_write_tokens;
      p.costUsd += e.cost_usd;
      p.step = `model call ${p.steps}`;
      return `model ${e.model}: ${e.latency_ms}ms, $${e.cost_usd.toFixed(5)}${e.error ? ` error: ${e.error}` : ''}`;
    }
    case 'tool.call':
      p.steps++;
      p.step = `${e.tool} → ${e.decision === 'deny' ? 'denied' : e.ok ? 'ok' : 'failed'}`;
      return `tool ${p.step}`;
    case 'approval.request':
      p.step = `waiting for approval of ${e.tool}`;
      return p.step;
    case 'approval.decision':
      return `approval ${e.decision} by ${e.by}`;
    case 'limit.hit':
      p.step = `limit ${e.limit} hit`;
      return p.step;
    case 'escalation':
      p.step = `escalated (${e.category ?? e.reason})`;
      return `escalated by ${e.by}: ${e.category ?? e.reason}`;
    case 'case.end':
      // `done` is set by the command once the case is scored, so the finished line shows its verdict.
      p.stop = e.stop;
      p.durationMs = e.duration_ms;
      p.costUsd = e.cost_usd;
      return undefined;
    default:
      return undefined;
  }
}

export function formatElapsed(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
