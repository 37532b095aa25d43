// Where commands write. Commands never touch process.stdout directly, so tests run them in-process and capture.
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when output is an interactive terminal and not CI: live views and colour are allowed. */
  interactive: boolean;
  color: boolean;
}

export function processIo(): Io {
  const interactive = Boolean(process.stdout.isTTY) && !process.env.CI;
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    interactive,
    color: interactive && !process.env.NO_COLOR,
  };
}

export function captureIo(): Io & { stdout: () => string; stderr: () => string } {
  let o = '';
  let e = '';
  return {
    out: (t) => void (o += t),
    err: (t) => void (e += t),
    interactive: false,
    color: false,
    stdout: () => o,
    stderr: () => e,
  };
}
