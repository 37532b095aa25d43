// One process-wide abort signal, fired by SIGINT/SIGTERM in main.ts. Long-running commands pass it down so
// agents are stopped and containers removed before the process exits with 130.
export const interruptController = new AbortController();
