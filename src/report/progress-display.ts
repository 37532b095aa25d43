// Chooses the live ink view on an interactive TTY and plain lines in CI or when piped, behind one small interface
// the commands call. Plain mode prints whole lines only, so logs stay readable.
import type { Io } from '../io.js';
import type { TraceEvent } from '../trace/events.js';
import { applyEvent, formatElapsed, newProgress, type CaseProgress } from './progress.js';

export interface ProgressDisplay {
  status(text: string): void;
  caseStart(key: string, title: string): void;
  event(key: string, ev: TraceEvent): void;
  caseEnd(key: string, verdict?: CaseProgress['verdict']): void;
  stop(): void;
}

/** `plain`: line output even on a TTY (a terminal prompt for approvals cannot share the screen with the live view). */
export function createProgressDisplay(io: Io, header: string, opts: { verbose: boolean; plain?: boolean }): ProgressDisplay {
  const cases = new Map<string, CaseProgress>();
  if (io.interactive && !opts.plain) {
    // Lazy: ink and react load only on a TTY.
    let live: { stop: () => void } | undefined;
    let model: import('./live-view.js').LiveModel | undefined;
    let touch: ((m: import('./live-view.js').LiveModel) => void) | undefined;
    const ready = import('./live-view.js').then((m) => {
      model = m.createLiveModel(header);
      touch = m.touch;
      for (const [k, p] of cases) model.cases.set(k, p);
      live = m.startLiveView(model);
    });
    const changed = () => model && touch?.(model);
    return {
      status: (text) => {
        if (model) model.header = `${header} — ${text}`;
        changed();
      },
      caseStart: (key, title) => {
        const p = newProgress(key, title);
        cases.set(key, p);
        model?.cases.set(key, p);
        changed();
      },
      event: (key, ev) => {
        const p = cases.get(key);
        if (p) applyEvent(p, ev);
        changed();
      },
      caseEnd: (key, verdict) => {
        const p = cases.get(key);
        if (p) {
          p.done = true;
          if (verdict) p.verdict = verdict;
        }
        changed();
      },
      stop: () => {
        void ready.then(() => live?.stop());
      },
    };
  }
  return {
    status: (text) => io.err(`${header}: ${text}\n`),
    caseStart: (key, title) => {
      cases.set(key, newProgress(key, title));
      if (opts.verbose) io.err(`[${key}] start: ${title}\n`);
    },
    event: (key, ev) => {
      const p = cases.get(key);
      if (!p) return;
      const line = applyEvent(p, ev);
      if (line && opts.verbose) io.err(`[${key}] ${formatElapsed(Date.now() - p.startedAt)} ${line}\n`);
    },
    caseEnd: (key, verdict) => {
      const p = cases.get(key);
      if (!p) return;
      p.done = true;
      if (verdict) p.verdict = verdict;
      const mark = verdict === 'pass' ? '✓' : verdict === 'fail' ? '✗' : verdict === 'infra_error' ? '!' : '■';
      io.err(`${mark} ${key}  ${p.stop ?? ''}  $${p.costUsd.toFixed(4)}  ${formatElapsed(p.durationMs ?? Date.now() - p.startedAt)}\n`);
    },
    stop: () => undefined,
  };
}

/** The engine callbacks that feed a display, shared by every command that runs cases. */
export function displayHooks(display: ProgressDisplay) {
  return {
    onStatus: display.status,
    onCaseStart: (key: string, kase: { title: string }) => display.caseStart(key, kase.title),
    onEvent: display.event,
    onCaseEnd: (r: { key: string }) => display.caseEnd(r.key),
  };
}
