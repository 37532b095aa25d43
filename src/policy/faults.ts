// Planned faults: which call fails, decided deterministically (the n-th call, or a seeded rate) so a replay makes
// the same choices.
import type { FaultSpec } from '../plan/schema.js';

/** mulberry32: small, fast, good enough for picking faults reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fault (if any) for the `nth` call (1-based) to `target`. `rng` is per target so calls elsewhere don't shift it. */
export function pickFault(faults: FaultSpec[], target: string, nth: number, rng: () => number): FaultSpec | undefined {
  for (const f of faults) {
    if (f.target !== target) continue;
    const w = f.when;
    if (w === 'always') return f;
    if ('nth' in w && w.nth === nth) return f;
    if ('rate' in w && rng() < w.rate) return f;
  }
  return undefined;
}
