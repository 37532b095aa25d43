// One error base with a stable `code` and an exit code. src/main.ts is the only place that maps these to
// process exit codes; everything else throws.

export const ExitCode = {
  ok: 0,
  gateFailed: 1,
  usage: 2,
  infra: 3,
  interrupted: 130,
} as const;

export class AgentrtError extends Error {
  readonly code: string;
  readonly exitCode: number;
  /** Extra lines printed under the message (located errors, hints). */
  readonly details: string[];

  constructor(code: string, message: string, options: { exitCode?: number; details?: string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.details = options.details ?? [];
  }
}

/** Bad command-line usage: unknown flag values, missing arguments, conflicting options. */
export class UsageError extends AgentrtError {
  constructor(message: string, options: { code?: string; details?: string[] } = {}) {
    super(options.code ?? 'E_USAGE', message, { exitCode: ExitCode.usage, details: options.details ?? [] });
  }
}

/** A plan or eval-case file that cannot be used. `details` holds one located line per problem. */
export class PlanError extends AgentrtError {
  constructor(message: string, options: { code?: string; details?: string[]; cause?: unknown } = {}) {
    super(options.code ?? 'E_PLAN', message, { exitCode: ExitCode.usage, ...options });
  }
}

/** Docker, network, disk: anything outside the agent that stops agentrt from doing its job. */
export class InfraError extends AgentrtError {
  readonly retryable: boolean;
  constructor(message: string, options: { code?: string; details?: string[]; cause?: unknown; retryable?: boolean } = {}) {
    super(options.code ?? 'E_INFRA', message, { exitCode: ExitCode.infra, ...options });
    this.retryable = options.retryable ?? false;
  }
}

/** One or more CI gates failed. */
export class GateFailedError extends AgentrtError {
  constructor(message: string, details: string[] = []) {
    super('E_GATE', message, { exitCode: ExitCode.gateFailed, details });
  }
}

/** SIGINT / SIGTERM: teardown ran, exit 130. */
export class InterruptedError extends AgentrtError {
  constructor(message = 'interrupted') {
    super('E_INTERRUPTED', message, { exitCode: ExitCode.interrupted });
  }
}

export function isAgentrtError(err: unknown): err is AgentrtError {
  return err instanceof AgentrtError;
}
