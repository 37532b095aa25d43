// Reporters as a registry: each turns a finished, scored eval into text. They observe; none decides (the gates
// and the exit code are decided before a reporter runs). `--reporter` may repeat; `--output` sends the last
// non-default reporter to a file instead of stdout.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Io } from '../io.js';
import type { EvalCase } from '../plan/case-schema.js';
import type { RuntimePlan } from '../plan/schema.js';
import type { RunHeader } from '../trace/events.js';
import type { CaseScore } from '../score/case-score.js';
import type { RunScores } from '../score/aggregate.js';
import type { evaluateGates } from '../score/gates.js';
import type { compareRuns } from '../score/compare.js';
import { UsageError } from '../errors.js';
import { defaultReport } from './default-reporter.js';
import { junitReport } from './junit-reporter.js';
import { markdownReport } from './markdown-reporter.js';
import { githubReport } from './github-reporter.js';

export interface EvalReport {
  runId: string;
  runDir: string;
  header: RunHeader;
  plan: RuntimePlan;
  cases: EvalCase[];
  perCase: Map<string, CaseScore[]>;
  scores: RunScores;
  gates: ReturnType<typeof evaluateGates>;
  comparison?: ReturnType<typeof compareRuns>;
}

type Render = (report: EvalReport) => string;

const RENDERERS: Record<string, { render: Render; describe: string }> = {
  default: { render: defaultReport, describe: 'summary table (failures first) and score block' },
  json: { render: jsonReport, describe: 'scores, gates and every case score as JSON' },
  junit: { render: junitReport, describe: 'JUnit XML: one testcase per case' },
  markdown: { render: markdownReport, describe: 'Markdown summary for $GITHUB_STEP_SUMMARY' },
  github: { render: githubReport, describe: 'GitHub Actions annotations for failing cases and gates' },
};

export const REPORTER_NAMES = Object.keys(RENDERERS);

function jsonReport(r: EvalReport): string {
  return (
    JSON.stringify(
      {
        run_id: r.runId,
        run_dir: r.runDir,
        header: r.header,
        scores: r.scores,
        gates: r.gates,
        comparison: r.comparison ?? null,
        cases: [...r.perCase.values()].flat(),
      },
      null,
      2,
    ) + '\n'
  );
}

export interface Reporter {
  name: string;
  write(report: EvalReport, io: Io): Promise<void>;
}

export function resolveReporters(names: string[], output?: string): Reporter[] {
  const unknown = names.filter((n) => !RENDERERS[n]);
  if (unknown.length) {
    throw new UsageError(`unknown reporter ${unknown.map((u) => `"${u}"`).join(', ')}`, {
      details: Object.entries(RENDERERS).map(([n, r]) => `${n.padEnd(9)} ${r.describe}`),
    });
  }
  const fileTarget = output ? [...names].reverse().find((n) => n !== 'default') ?? names[names.length - 1] : undefined;
  return names.map((name) => ({
    name,
    write: async (report, io) => {
      const text = RENDERERS[name]!.render(report);
      if (name === fileTarget && output) {
        await fs.mkdir(path.dirname(path.resolve(output)), { recursive: true });
        await fs.writeFile(output, text);
        io.err(`${name} report written to ${output}\n`);
      } else io.out(text);
    },
  }));
}
