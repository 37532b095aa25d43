// The wall-time deadline does not run while a case is paused (fake timers: behaviour, not timing).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PausableDeadline } from './live-case.js';
import { mayAct } from './control-files.js';

describe('PausableDeadline', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('fires after the active time only; paused time is not counted', () => {
    const d = new PausableDeadline(1000);
    vi.advanceTimersByTime(600);
    d.pause();
    vi.advanceTimersByTime(10_000);
    expect(d.fired).toBe(false);
    expect(d.signal.aborted).toBe(false);
    d.resume();
    vi.advanceTimersByTime(399);
    expect(d.fired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(d.fired).toBe(true);
    expect(d.signal.aborted).toBe(true);
  });

  it('pause and resume twice are harmless, and clear() means it never fires', () => {
    const d = new PausableDeadline(500);
    d.pause();
    d.pause();
    d.resume();
    d.resume();
    d.clear();
    vi.advanceTimersByTime(5000);
    expect(d.fired).toBe(false);
  });
});

describe('mayAct', () => {
  const controls = { pause: ['support-lead'], stop: ['head-of-support'], approve: ['billing-lead'] };
  it('pause and resume follow controls.pause, stop follows controls.stop, and approvers get neither', () => {
    expect(mayAct(controls, 'pause', 'support-lead')).toBe(true);
    expect(mayAct(controls, 'resume', 'support-lead')).toBe(true);
    expect(mayAct(controls, 'stop', 'support-lead')).toBe(false);
    expect(mayAct(controls, 'stop', 'head-of-support')).toBe(true);
    expect(mayAct(controls, 'pause', 'billing-lead')).toBe(false);
  });
});
