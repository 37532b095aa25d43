// argv → command → exit code. The only place that maps errors to exit codes and calls process.exit.
import { CommanderError } from 'commander';
import { createProgram } from './cli.js';
import { AgentrtError, ExitCode, InterruptedError } from './errors.js';
import { processIo } from './io.js';
import { interruptController } from './interrupt.js';

function formatError(err: AgentrtError): string {
  const lines = [`agentrt: error[${err.code}]: ${err.message}`, ...err.details.map((d) => `  ${d}`)];
  return lines.join('\n') + '\n';
}

async function main(argv: string[]): Promise<number> {
  const io = processIo();
  const onSignal = (sig: NodeJS.Signals) => {
    // First signal: abort gracefully (commands tear down and return 130). Second: leave at once.
    if (interruptController.signal.aborted) process.exit(ExitCode.interrupted);
    io.err(`\nagentrt: ${sig} received, stopping agents and removing containers…\n`);
    interruptController.abort(new InterruptedError(`${sig} received`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const program = createProgram({ io });
  try {
    await program.parseAsync(argv, { from: 'node' });
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message; --help and --version are not errors.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return ExitCode.usage;
    }
    if (err instanceof AgentrtError) {
      io.err(formatError(err));
      return err.exitCode;
    }
    io.err(`agentrt: internal error: ${err instanceof Error ? (process.env.AGENTRT_DEBUG ? err.stack : err.message) : String(err)}\n`);
    io.err('  This is a bug in agentrt. Re-run with AGENTRT_DEBUG=1 for the stack trace.\n');
    return ExitCode.infra;
  }
}

// process.exit does not wait for a piped stdout to drain: a large report (`--reporter json | jq`) would be cut
// short mid-document with exit 0. An empty write's callback runs once everything written before it is flushed.
function exitWhenFlushed(code: number): void {
  let pending = 2;
  const done = () => void (--pending === 0 && process.exit(code));
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv).then(exitWhenFlushed);
