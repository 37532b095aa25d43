// Append-only NDJSON trace writer. Each event is one synchronous write to an fd opened for append, so a crash
// keeps everything written so far and the file stays readable line by line.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { TRACE_SCHEMA_VERSION, type TraceEvent, type TraceEventInput } from './events.js';
import { makeRedactor } from './redact.js';

export interface TraceWriterOptions {
  startedAt: number;
  secrets: string[];
  redact: RegExp[];
  onEvent?: ((ev: TraceEvent) => void) | undefined;
}

export class TraceWriter {
  private seq = 0;
  private fd: number | null;
  private redactor: (t: string) => string;
  private readonly secrets: string[];

  private constructor(
    readonly file: string,
    private readonly opts: TraceWriterOptions,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
    this.secrets = [...opts.secrets];
    this.redactor = makeRedactor(this.secrets, opts.redact);
  }

  static open(file: string, opts: TraceWriterOptions): TraceWriter {
    return new TraceWriter(file, opts);
  }

  /** Per-case credentials are created after the writer: add them so they are redacted too. */
  addSecrets(...secrets: string[]): void {
    this.secrets.push(...secrets);
    this.redactor = makeRedactor(this.secrets, this.opts.redact);
  }

  write(input: TraceEventInput): TraceEvent {
    const now = Date.now();
    const ev = { v: TRACE_SCHEMA_VERSION, seq: this.seq++, ts: new Date(now).toISOString(), t_ms: now - this.opts.startedAt, ...input } as TraceEvent;
    const line = this.redactor(JSON.stringify(ev)) + '\n';
    if (this.fd !== null) writeSync(this.fd, line);
    const redacted = JSON.parse(line) as TraceEvent;
    this.opts.onEvent?.(redacted);
    return redacted;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
