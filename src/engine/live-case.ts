// A running case as a person sees it from another terminal: pause (the container is frozen, its wall-time clock
// stops), resume (thawed, the clock goes on), stop (torn down, recorded as `stopped`). Every action, and who took
// it, is written to the case's trace.
import type { SandboxHandle } from '../sandbox/driver.js';
import type { StopReason } from '../trace/events.js';
import type { TraceWriter } from '../trace/writer.js';
import type { LiveCase } from './case-runner.js';
import type { RunContext } from './run-context.js';

/** The case's wall-time deadline, which does not run while the case is paused. */
export class PausableDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private remainingMs: number;
  private armedAt = 0;
  fired = false;

  constructor(ms: number) {
    this.remainingMs = Math.max(ms, 1);
    this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private arm(): void {
    this.armedAt = Date.now();
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort();
    }, Math.min(this.remainingMs, 2 ** 31 - 1));
  }

  pause(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.remainingMs = Math.max(this.remainingMs - (Date.now() - this.armedAt), 1);
  }

  resume(): void {
    if (!this.timer && !this.fired) this.arm();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export function liveCase(
  key: string,
  ctx: RunContext,
  handle: SandboxHandle,
  trace: TraceWriter,
  deadline: PausableDeadline,
  stop: (s: { reason: StopReason; detail: string }) => void,
): LiveCase {
  const live: LiveCase = {
    key,
    paused: false,
    async pause(by, reason) {
      if (live.paused) return;
      await ctx.driver.pause(handle);
      deadline.pause();
      live.paused = true;
      trace.write({ type: 'control', action: 'pause', by, ...(reason ? { reason } : {}) });
    },
    async resume(by) {
      if (!live.paused) return;
      await ctx.driver.unpause(handle);
      deadline.resume();
      live.paused = false;
      trace.write({ type: 'control', action: 'resume', by });
    },
    stop(by, reason) {
      trace.write({ type: 'control', action: 'stop', by, ...(reason ? { reason } : {}) });
      // A frozen container cannot be killed cleanly by every engine: thaw it first, best effort.
      if (live.paused) void ctx.driver.unpause(handle).catch(() => undefined);
      stop({ reason: 'stopped', detail: `stopped by ${by}${reason ? `: ${reason}` : ''}` });
    },
  };
  return live;
}
