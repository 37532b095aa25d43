// The relay: runs in a small container on the run's internal network (alias `gateway`) and on the default bridge,
// and forwards TCP from RELAY_PORT to exactly one target — agentrt's gateway on the host. It is the agent's only
// way out, so it forwards nowhere else, whatever a client sends. Plain Node, no imports beyond node:net, so it runs
// in the FROM-scratch image; agentrt waits for the "relay ready" line before it starts any agent.
//
// Tripwire: it also listens on RELAY_TRIPWIRE_PORTS (common service ports an escaping agent would try on the only
// host it can reach). Such a connection is closed at once and reported on stdout as `tripwire <port> <source ip>`;
// agentrt reads the relay's stdout on the host (no agent can write to it) and records a violation for the case
// whose container has that address. Repeats are printed at most once a second per source and port, so a flood of
// connections cannot grow the relay's output (or its memory) without bound.
import net from 'node:net';

const listenPort = Number(process.env.RELAY_PORT ?? 8080);
const targetHost = process.env.RELAY_TARGET_HOST;
const targetPort = Number(process.env.RELAY_TARGET_PORT);
if (!targetHost || !Number.isInteger(targetPort) || targetPort <= 0) {
  process.stderr.write('relay: RELAY_TARGET_HOST and RELAY_TARGET_PORT are required\n');
  process.exit(2);
}
const tripwirePorts = (process.env.RELAY_TRIPWIRE_PORTS ?? '')
  .split(',')
  .map(Number)
  .filter((p) => Number.isInteger(p) && p > 0 && p < 65536 && p !== listenPort);

const server = net.createServer((client) => {
  const upstream = net.connect(targetPort, targetHost);
  client.pipe(upstream).pipe(client);
  // Only on errors: a normal end travels through pipe() as end(), which flushes what is still buffered.
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
});
server.on('error', (err) => {
  process.stderr.write(`relay: ${err.message}\n`);
  process.exit(1);
});

const lastReport = new Map<string, number>();
function tripped(port: number, socket: net.Socket): void {
  const source = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  socket.destroy();
  const key = `${source} ${port}`;
  const now = Date.now();
  if (now - (lastReport.get(key) ?? 0) < 1000) return;
  if (lastReport.size > 10_000) lastReport.clear();
  lastReport.set(key, now);
  process.stdout.write(`tripwire ${port} ${source}\n`);
}

// Ready only when every listener is up: a tripwire that failed to bind would be a silent hole.
let pending = 1 + tripwirePorts.length;
const up = () => {
  if (--pending === 0) process.stdout.write(`relay ready ${listenPort} -> ${targetHost}:${targetPort}; tripwire ${tripwirePorts.join(',') || 'none'}\n`);
};
server.listen(listenPort, '0.0.0.0', up);
for (const port of tripwirePorts) {
  const wire = net.createServer((socket) => tripped(port, socket));
  wire.on('error', (err) => {
    process.stderr.write(`relay: tripwire ${port}: ${err.message}\n`);
    process.exit(1);
  });
  wire.listen(port, '0.0.0.0', up);
}
process.on('SIGTERM', () => process.exit(0));
