// The commander program: commands and flags only. Each action lazy-imports its module from src/commands/ so that
// `agentrt validate` never loads dockerode or ink. Tests build a fresh program with a capturing `dispatch`.
import { Command, Option } from 'commander';
import type { Io } from './io.js';
import { processIo } from './io.js';
import { UsageError } from './errors.js';

export type CommandName = 'validate' | 'schema' | 'init' | 'run' | 'eval' | 'replay' | 'diff' | 'explain' | 'rollback' | 'image-build' | 'cleanup' | 'approvals' | 'approve' | 'deny' | 'resume' | 'pause' | 'stop';

export type Dispatch = (command: CommandName, options: Record<string, unknown>, io: Io) => Promise<number>;

const lazyDispatch: Dispatch = async (command, options, io) => {
  switch (command) {
    case 'validate':
      return (await import('./commands/validate.js')).validate(options as never, io);
    case 'schema':
      return (await import('./commands/schema.js')).schema(options as never, io);
    case 'init':
      return (await import('./commands/init.js')).init(options as never, io);
    case 'run':
      return (await import('./commands/run.js')).run(options as never, io);
    case 'eval':
      return (await import('./commands/eval.js')).evalCommand(options as never, io);
    case 'replay':
      return (await import('./commands/replay.js')).replay(options as never, io);
    case 'explain':
      return (await import('./commands/explain.js')).explain(options as never, io);
    case 'rollback':
      return (await import('./commands/rollback.js')).rollback(options as never, io);
    case 'diff':
      return (await import('./commands/diff.js')).diff(options as never, io);
    case 'image-build':
      return (await import('./commands/image.js')).imageBuild(options as never, io);
    case 'cleanup':
      return (await import('./commands/cleanup.js')).cleanup(options as never, io);
    case 'approvals':
      return (await import('./commands/approvals.js')).approvals(options as never, io);
    case 'approve':
    case 'deny':
      return (await import('./commands/approvals.js')).decide({ ...options, decision: command } as never, io);
    case 'resume':
      return (await import('./commands/resume.js')).resume(options as never, io);
    case 'pause':
    case 'stop':
      return (await import('./commands/control.js')).sendControl({ ...options, action: command } as never, io);
  }
};

const EXIT_CODES = `
Exit codes:
  0    ok
  1    a gate failed (eval)
  2    usage or plan error (nothing was started)
  3    sandbox or infrastructure error (Docker, network, disk)
  130  interrupted (Ctrl-C / SIGTERM); containers were removed`;

const EXAMPLES = `
Examples:
  $ agentrt validate runtime-plans/support-triage.yaml     check a plan, with file:line:col errors
  $ agentrt run runtime-plans/support-triage.yaml --case happy-password-reset
  $ agentrt eval runtime-plans/support-triage.yaml -j 4    run the whole test set, scores and gates
  $ agentrt replay <runId> --case <id>                      the timeline of a stored run
  $ agentrt explain <runId> <case>                          why a case failed, in a few lines
  $ agentrt rollback <runId> --dry-run                      what a run changed and how to reverse it
  $ agentrt replay <runId> --rerun --plan fixed.yaml        prove a fix with the recorded model responses
  $ agentrt approvals                                       approvals waiting for a person
  $ agentrt approve <runId> <id> --by alice                 decide one; then: agentrt resume <runId>
  $ agentrt pause <runId> --by alice                        freeze a live run from another terminal
  $ agentrt diff <runA> <runB>                              case flips and metric deltas between runs
  $ agentrt schema > schema/runtime-plan.schema.json       JSON Schema for editors
  $ agentrt init my-plan.yaml                              a commented starter plan
  $ agentrt image build                                    build the offline sandbox image
  $ agentrt cleanup                                        remove containers/networks left by a crashed run`;

function positiveInt(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} expects a whole number ≥ 1, got "${value}"`);
    return n;
  };
}

function collect(value: string, previous: string[] = []) {
  return [...previous, value];
}

export function createProgram(options: { io?: Io; dispatch?: Dispatch } = {}): Command {
  const io = options.io ?? processIo();
  const dispatch = options.dispatch ?? lazyDispatch;
  const act = (name: CommandName) => async (opts: Record<string, unknown>) => {
    const code = await dispatch(name, opts, io);
    if (code !== 0) process.exitCode = code;
  };

  const program = new Command('agentrt')
    .description(
      'Put an AI agent through a production-shaped runtime before it touches anything real:\n' +
        'a Docker sandbox per case, fake credentials, fixture records, a timeline trace and scores.',
    )
    .version(process.env.npm_package_version ?? '0.1.0', '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .addHelpText('after', EXAMPLES + '\n' + EXIT_CODES);

  program
    .command('validate')
    .description('Check a runtime plan; prints errors as file:line:col, exit 2 on errors.  e.g. agentrt validate plan.yaml')
    .argument('<plan>', 'path of the runtime-plan YAML')
    .option('--json', 'machine-readable diagnostics', false)
    .action((plan: string, opts: Record<string, unknown>) => act('validate')({ ...opts, plan }));

  program
    .command('schema')
    .description('Print the runtime plan JSON Schema.  e.g. agentrt schema > schema/runtime-plan.schema.json')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((opts: Record<string, unknown>) => act('schema')(opts));

  program
    .command('init')
    .description('Write a commented starter plan.  e.g. agentrt init my-plan.yaml')
    .argument('[file]', 'where to write it', 'runtime-plan.yaml')
    .option('--force', 'overwrite an existing file', false)
    .action((file: string, opts: Record<string, unknown>) => act('init')({ ...opts, file }));

  program
    .command('run')
    .description('Run one or a few tickets in the sandbox and print the timeline.  e.g. agentrt run plan.yaml --case <id>')
    .argument('<plan>', 'path of the runtime-plan YAML')
    .option('-c, --case <id>', 'eval case id to run (repeatable)', collect)
    .option('-t, --ticket <file>', 'a ticket YAML/JSON file to run instead of an eval case')
    .addOption(
      new Option('--approve <decision>', 'answer every approval with this decision (default: the plan rule\'s `default`)').choices([
        'approve',
        'deny',
      ]),
    )
    .addOption(
      new Option('--approvals <mode>', 'who decides `approver: human` approvals: tty (ask here), queue (stop the case durably; decide with agentrt approve), default (the rule\'s default). Default: tty on a terminal, else queue').choices(['tty', 'queue', 'default']),
    )
    .option('--by <name>', 'your name, recorded with every decision you make at the prompt (must be in controls.approve; default: your login)')
    .option('--full', 'do not fold long values in the timeline', false)
    .option('--json', 'print the case results as JSON instead of the timeline', false)
    .action((plan: string, opts: Record<string, unknown>) => act('run')({ ...opts, plan }));

  program
    .command('eval')
    .description('Run the plan\'s test set in sandboxes, score it and apply the gates.  e.g. agentrt eval plan.yaml -j 4')
    .argument('<plan>', 'path of the runtime-plan YAML')
    .option('-j, --concurrency <n>', 'cases run at once (default: min(4, cpus))', positiveInt('--concurrency'))
    .option('-c, --case <glob>', 'only cases whose id matches the glob (repeatable)', collect)
    .option('--tag <tag>', 'only cases with this tag (repeatable)', collect)
    .option('--shard <i/n>', 'run the i-th of n equal shards, e.g. 2/4')
    .option('--repeat <n>', 'run each case n times (pass^k)', positiveInt('--repeat'))
    .option('--gate <gate>', 'override/add a gate, e.g. "completion >= 0.9" (repeatable)', collect)
    .option('--reporter <name>', 'default | json | junit | markdown | github (repeatable)', collect)
    .option('-o, --output <file>', 'write the last non-default reporter to this file')
    .option('--baseline <run>', 'compare with a stored run id or results.json path')
    .option('--resume <runId>', 'finish an interrupted eval run: only the cases that had not finished run, into the same run')
    .addOption(new Option('--report <kind>', 'also write a static report into the run directory').choices(['html']))
    .addOption(new Option('--approvals <mode>', 'human approvals without a scripted answer: default (the rule\'s default, for CI) or queue (the case stops durably until decided)').choices(['default', 'queue']))
    .action((plan: string, opts: Record<string, unknown>) => act('eval')({ ...opts, plan }));

  program
    .command('replay')
    .description('Show the timeline of a stored run (what it received, read, called, changed, why it stopped).  e.g. agentrt replay <runId>')
    .argument('<runId>', 'run id (see .agentrt/runs/) or a run directory path')
    .option('-c, --case <id>', 'only this case (repeatable)', collect)
    .option('--json', 'the timelines as JSON', false)
    .option('--full', 'do not fold long values', false)
    .option('--runs-dir <dir>', 'where runs are stored', '.agentrt/runs')
    .addOption(new Option('--report <kind>', 'also write a static report into the run directory').choices(['html']))
    .option('--otlp <file>', 'write the run as OTLP/JSON spans (OpenTelemetry GenAI conventions)')
    .option('--rerun', 're-drive every recorded case in a fresh sandbox with the recorded model responses (no model call) and report the first divergence and old vs new scores', false)
    .option('--plan <file>', 'with --rerun: under this (changed) plan instead of the recorded one')
    .addHelpText('after', `
Rerun (prove a fix without spending a token):
  $ agentrt replay <runId> --rerun                      same plan and code: every case should reproduce exactly
  $ agentrt replay <runId> --rerun --plan fixed.yaml    the first step where each case now differs, old → new scores
  The new run is stored with parent_run_id = <runId>; its rerun.json holds the comparison.`)
    .action((runId: string, opts: Record<string, unknown>) => act('replay')({ ...opts, run: runId }));

  program
    .command('explain')
    .description('Why a case failed: the failing component and the step that led there.  e.g. agentrt explain <runId> <case>')
    .argument('<runId>', 'run id (see .agentrt/runs/) or a run directory path')
    .argument('<case>', 'case id')
    .option('--json', 'machine-readable', false)
    .option('--runs-dir <dir>', 'where runs are stored', '.agentrt/runs')
    .action((runId: string, caseId: string, opts: Record<string, unknown>) => act('explain')({ ...opts, run: runId, case: caseId }));

  program
    .command('rollback')
    .description('List what a run changed, which changes are reversible, and apply the undos.  e.g. agentrt rollback <runId> --dry-run')
    .argument('<runId>', 'run id (see .agentrt/runs/) or a run directory path')
    .option('-c, --case <id>', 'only this case (repeatable)', collect)
    .option('--dry-run', 'only list; change nothing', false)
    .option('--runs-dir <dir>', 'where runs are stored', '.agentrt/runs')
    .action((runId: string, opts: Record<string, unknown>) => act('rollback')({ ...opts, run: runId }));

  program
    .command('diff')
    .description('Compare two stored eval runs: case flips, metric deltas, what changed.  e.g. agentrt diff <runA> <runB>')
    .argument('<runA>', 'the earlier run id (or run directory)')
    .argument('<runB>', 'the later run id (or run directory)')
    .option('--json', 'machine-readable', false)
    .option('--runs-dir <dir>', 'where runs are stored', '.agentrt/runs')
    .action((runA: string, runB: string, opts: Record<string, unknown>) => act('diff')({ ...opts, runA, runB }));

  const image = program.command('image').description('Manage the offline sandbox image.');
  image
    .command('build')
    .description('Build the default sandbox image offline (FROM scratch + host node).  e.g. agentrt image build')
    .option('--force', 'rebuild even if the content hash is unchanged', false)
    .action((opts: Record<string, unknown>) => act('image-build')(opts));

  program
    .command('cleanup')
    .description('Remove containers and networks left by crashed runs (found by label).  e.g. agentrt cleanup')
    .option('--run <runId>', 'only this run (live or not)')
    .option('--all', 'every agentrt container and network, including live runs', false)
    .action((opts: Record<string, unknown>) => act('cleanup')(opts));

  program
    .command('approvals')
    .description('List approvals waiting for a person, with the call, its risk and the records it would touch.  e.g. agentrt approvals')
    .option('--run <runId>', 'only this run')
    .option('--all', 'also the decided ones, with who decided and why', false)
    .option('--json', 'machine-readable', false)
    .option('--runs-dir <dir>', 'where runs are stored', '.agentrt/runs')
    .action((opts: Record<string, unknown>) => act('approvals')(opts));

  for (const decision of ['approve', 'deny'] as const) {
    program
      .command(decision)
      .description(`${decision === 'approve' ? 'Approve' : 'Deny'} a pending approval (then \`agentrt resume <runId>\`).  e.g. agentrt ${decision} <runId> <id> --by alice${decision === 'deny' ? ' --reason "refund is over policy"' : ''}`)
      .argument('<runId>', 'the run that asked')
      .argument('<id>', 'the approval id (see agentrt approvals)')
      .option('--by <name>', 'who decides (must be in the plan\'s controls.approve)')
      .option('--reason <text>', decision === 'deny' ? 'why; the agent sees it as the denial message' : 'why, for the record')
      .option('--runs-dir <dir>', 'where runs are stored', '.agentrt/runs')
      .action((runId: string, id: string, opts: Record<string, unknown>) => act(decision)({ ...opts, run: runId, id }));
  }

  program
    .command('resume')
    .description('Continue a run: thaw a paused live run, or re-drive cases that stopped for an approval (recorded prefix, then live).  e.g. agentrt resume <runId>')
    .argument('<runId>', 'run id (see .agentrt/runs/) or a run directory path')
    .option('-c, --case <id>', 'only this case (repeatable)', collect)
    .option('--by <name>', 'who resumes (live run: must be in controls.pause) or decides at the prompt')
    .addOption(new Option('--approvals <mode>', 'for approvals asked after the resume: tty, queue or default').choices(['tty', 'queue', 'default']))
    .option('--full', 'do not fold long values in the timeline', false)
    .option('--json', 'the resumed cases as JSON', false)
    .option('--runs-dir <dir>', 'where runs are stored', '.agentrt/runs')
    .action((runId: string, opts: Record<string, unknown>) => act('resume')({ ...opts, run: runId }));

  for (const action of ['pause', 'stop'] as const) {
    program
      .command(action)
      .description(
        action === 'pause'
          ? 'Pause a live run from another terminal: its containers freeze and keep their state, wall time stops.  e.g. agentrt pause <runId> --by alice'
          : 'Stop a live run from another terminal: running cases are torn down and recorded as stopped, no further case starts.  e.g. agentrt stop <runId> --by alice --reason "bad refunds"',
      )
      .argument('<runId>', 'the live run')
      .option('-c, --case <id>', 'only this case (repeatable)', collect)
      .option('--by <name>', `who ${action === 'pause' ? 'pauses' : 'stops'} it (must be in the plan's controls.${action})`)
      .option('--reason <text>', 'why, for the record')
      .option('--runs-dir <dir>', 'where runs are stored', '.agentrt/runs')
      .action((runId: string, opts: Record<string, unknown>) => act(action)({ ...opts, run: runId }));
  }

  for (const cmd of program.commands) {
    // "What it does.  e.g. agentrt …": the list shows the short part; the command's own --help shows the example.
    const [what, example] = cmd.description().split(/\s+e\.g\.\s+/);
    if (example) cmd.summary(what!).description(`${what}\n\nExample:\n  $ ${example}`);
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    cmd.showHelpAfterError('(run with --help for usage)');
  }
  return program;
}
