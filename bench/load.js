// Shared by `npm run bench` and the load test (src/engine/load.e2e.test.ts): generated eval cases and the peak
// RSS of a running agentrt process. Plain JS without dist imports, so a test can use it before or after a build.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** n copies of a bundled case with ids gen-0000…, in a new directory inside the project; returns the directory. */
export function generateCases(n) {
  const src = path.join(root, 'evals/support-tickets/happy-password-reset.yaml');
  // Inside the project (gitignored .agentrt/): a plan may only reference files within its project.
  mkdirSync(path.join(root, '.agentrt'), { recursive: true });
  const dir = mkdtempSync(path.join(root, '.agentrt', 'bench-cases-'));
  const base = parse(readFileSync(src, 'utf8'));
  for (let i = 0; i < n; i++) writeFileSync(path.join(dir, `gen-${String(i).padStart(4, '0')}.yaml`), stringify({ ...base, id: `gen-${String(i).padStart(4, '0')}` }));
  return dir;
}

/**
 * Samples the kernel's high-water mark of resident memory (VmHWM in /proc/<pid>/status) of a running process
 * until it exits. VmHWM only grows, so the last sample is the peak up to ~100 ms before exit. Linux only.
 * Returns a function that stops sampling and gives the peak in bytes (0 if /proc was never readable).
 */
export function samplePeakRss(pid, everyMs = 100) {
  let peak = 0;
  const sample = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      // the process has exited: keep the last peak
    }
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return () => {
    clearInterval(timer);
    return peak;
  };
}
