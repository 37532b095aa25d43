// The live terminal view (ink): finished cases stay above as one line each (<Static>), running cases below with
// their current step, elapsed time, tokens and dollars. Only used on an interactive TTY outside CI.
import React, { useEffect, useState } from 'react';
import { Box, Static, Text, render } from 'ink';
import type { CaseProgress } from './progress.js';
import { formatElapsed } from './progress.js';

export interface LiveModel {
  cases: Map<string, CaseProgress>;
  header: string;
  /** Bumped on every change so the view re-renders. */
  version: number;
  listeners: Set<() => void>;
}

export function createLiveModel(header: string): LiveModel {
  return { cases: new Map(), header, version: 0, listeners: new Set() };
}

export function touch(model: LiveModel): void {
  model.version++;
  for (const l of model.listeners) l();
}

function mark(p: CaseProgress): string {
  if (p.verdict === 'pass') return '✓';
  if (p.verdict === 'fail') return '✗';
  if (p.verdict === 'infra_error') return '!';
  return '■';
}

function Finished({ p }: { p: CaseProgress }) {
  const color = p.verdict === 'pass' ? 'green' : p.verdict === 'fail' ? 'red' : p.verdict === 'infra_error' ? 'yellow' : undefined;
  return (
    <Text>
      <Text color={color}>{mark(p)}</Text> {p.key.padEnd(36)} {String(p.stop ?? '').padEnd(11)} ${p.costUsd.toFixed(4)}{' '}
      {formatElapsed(p.durationMs ?? 0)}
    </Text>
  );
}

function View({ model }: { model: LiveModel }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    model.listeners.add(l);
    const timer = setInterval(l, 250); // elapsed time keeps moving between events
    return () => {
      model.listeners.delete(l);
      clearInterval(timer);
    };
  }, [model]);
  const all = [...model.cases.values()];
  const finished = all.filter((p) => p.done);
  const running = all.filter((p) => !p.done);
  const now = Date.now();
  return (
    <>
      <Static items={finished}>{(p) => <Finished key={p.key} p={p} />}</Static>
      <Box flexDirection="column">
        <Text dimColor>{model.header}</Text>
        {running.map((p) => (
          <Text key={p.key}>
            <Text color="cyan">⠿</Text> {p.key.padEnd(36)} {formatElapsed(now - p.startedAt).padStart(6)} {String(p.tokens).padStart(7)} tok $
            {p.costUsd.toFixed(4)}  <Text dimColor>{p.step}</Text>
          </Text>
        ))}
      </Box>
    </>
  );
}

export function startLiveView(model: LiveModel): { stop: () => void } {
  const app = render(<View model={model} />, { exitOnCtrlC: false, patchConsole: false });
  return {
    stop: () => {
      touch(model);
      app.unmount();
    },
  };
}
