import { describe, expect, it } from 'vitest';
import { createProgram, type CommandName } from './cli.js';
import { captureIo } from './io.js';

async function parse(argv: string[]) {
  const calls: Array<{ command: CommandName; options: Record<string, unknown> }> = [];
  const io = captureIo();
  const program = createProgram({ io, dispatch: async (command, options) => (calls.push({ command, options }), 0) });
  let error: unknown;
  try {
    await program.parseAsync(['node', 'agentrt', ...argv]);
  } catch (err) {
    error = err;
  }
  return { calls, io, error };
}

describe('argv → command options', () => {
  it('validate takes the plan and --json', async () => {
    const { calls } = await parse(['validate', 'p.yaml', '--json']);
    expect(calls).toEqual([{ command: 'validate', options: { plan: 'p.yaml', json: true } }]);
  });

  it('run takes repeatable --case, --approve and --full', async () => {
    const { calls } = await parse(['run', 'p.yaml', '-c', 'a', '--case', 'b', '--approve', 'deny', '--full']);
    expect(calls[0]).toEqual({ command: 'run', options: { plan: 'p.yaml', case: ['a', 'b'], approve: 'deny', full: true, json: false } });
  });

  it('run refuses an --approve value that is not approve|deny', async () => {
    const { calls, error, io } = await parse(['run', 'p.yaml', '--approve', 'maybe']);
    expect(calls).toEqual([]);
    expect(error).toBeTruthy();
    expect(io.stderr()).toMatch(/Allowed choices are approve, deny/);
  });

  it('eval maps -j, filters, repeat, gates and reporters', async () => {
    const { calls } = await parse(['eval', 'p.yaml', '-j', '3', '--case', 'happy-*', '--tag', 'billing', '--shard', '1/2', '--repeat', '4', '--gate', 'completion >= 0.9', '--reporter', 'junit', '--reporter', 'markdown', '-o', 'out.xml', '--baseline', 'run1']);
    expect(calls[0]?.options).toEqual({ plan: 'p.yaml', concurrency: 3, case: ['happy-*'], tag: ['billing'], shard: '1/2', repeat: 4, gate: ['completion >= 0.9'], reporter: ['junit', 'markdown'], output: 'out.xml', baseline: 'run1' });
  });

  it('eval -j 0 is a usage error', async () => {
    const { calls, error } = await parse(['eval', 'p.yaml', '-j', '0']);
    expect(calls).toEqual([]);
    expect(String(error)).toMatch(/--concurrency expects a whole number ≥ 1, got "0"/);
  });

  it('approvals, approve, deny, resume, pause and stop', async () => {
    expect((await parse(['approvals', '--run', 'r1', '--all'])).calls[0]).toEqual({ command: 'approvals', options: { run: 'r1', all: true, json: false, runsDir: '.agentrt/runs' } });
    expect((await parse(['approve', 'r1', 'ap12', '--by', 'alice'])).calls[0]).toEqual({ command: 'approve', options: { run: 'r1', id: 'ap12', by: 'alice', runsDir: '.agentrt/runs' } });
    expect((await parse(['deny', 'r1', 'ap12', '--by', 'bob', '--reason', 'no'])).calls[0]).toEqual({ command: 'deny', options: { run: 'r1', id: 'ap12', by: 'bob', reason: 'no', runsDir: '.agentrt/runs' } });
    expect((await parse(['resume', 'r1', '--approvals', 'queue'])).calls[0]?.options).toMatchObject({ run: 'r1', approvals: 'queue' });
    expect((await parse(['pause', 'r1', '--by', 'alice', '-c', 'x'])).calls[0]).toEqual({ command: 'pause', options: { run: 'r1', by: 'alice', case: ['x'], runsDir: '.agentrt/runs' } });
    expect((await parse(['stop', 'r1', '--by', 'alice', '--reason', 'bad'])).calls[0]?.options).toMatchObject({ run: 'r1', by: 'alice', reason: 'bad' });
    expect((await parse(['run', 'p.yaml', '-c', 'x', '--approvals', 'queue', '--by', 'alice'])).calls[0]?.options).toMatchObject({ approvals: 'queue', by: 'alice' });
    const tty = await parse(['eval', 'p.yaml', '--approvals', 'tty']); // no prompt in a parallel eval
    expect(tty.calls).toEqual([]);
    expect(tty.io.stderr()).toMatch(/Allowed choices are default, queue/);
  });

  it('replay, diff, schema, init, image build and cleanup', async () => {
    expect((await parse(['replay', 'r1', '--case', 'x', '--json'])).calls[0]).toEqual({ command: 'replay', options: { run: 'r1', case: ['x'], json: true, full: false, rerun: false, runsDir: '.agentrt/runs' } });
    expect((await parse(['replay', 'r1', '--rerun', '--plan', 'fixed.yaml'])).calls[0]?.options).toMatchObject({ run: 'r1', rerun: true, plan: 'fixed.yaml' });
    expect((await parse(['diff', 'a', 'b'])).calls[0]).toEqual({ command: 'diff', options: { runA: 'a', runB: 'b', json: false, runsDir: '.agentrt/runs' } });
    expect((await parse(['schema', '-o', 's.json'])).calls[0]).toEqual({ command: 'schema', options: { output: 's.json' } });
    expect((await parse(['init'])).calls[0]).toEqual({ command: 'init', options: { file: 'runtime-plan.yaml', force: false } });
    expect((await parse(['image', 'build', '--force'])).calls[0]).toEqual({ command: 'image-build', options: { force: true } });
    expect((await parse(['cleanup', '--run', 'r9'])).calls[0]).toEqual({ command: 'cleanup', options: { run: 'r9', all: false } });
  });

  it('a command\'s own --help shows its example', async () => {
    const { io } = await parse(['validate', '--help']);
    expect(io.stdout()).toMatch(/Example:\n  \$ agentrt validate plan\.yaml/);
  });

  it('--help lists every command with an example and the exit codes', async () => {
    const { io } = await parse(['--help']);
    const help = io.stdout();
    for (const cmd of ['validate', 'run', 'eval', 'replay', 'diff', 'schema', 'init', 'image', 'cleanup']) expect(help).toContain(cmd);
    expect(help).toMatch(/Examples:\n  \$ agentrt validate/);
    for (const cmd of ['validate', 'run', 'eval', 'replay', 'diff', 'schema', 'init', 'image build', 'cleanup']) expect(help).toContain(`$ agentrt ${cmd}`);
    for (const code of ['0 ', '1 ', '2 ', '3 ', '130']) expect(help).toContain(code);
  });
});
