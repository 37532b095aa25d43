// The relay: runs in a small container on the run's internal network (alias `gateway`) and on the default bridge,
// and forwards TCP from RELAY_PORT to exactly one target — agentrt's gateway on the host. It is the agent's only
// way out, so it forwards nowhere else, whatever a client sends. Plain Node, no imports beyond node:net, so it runs
// in the FROM-scratch image; agentrt waits for the "relay ready" line before it starts any agent.
import net from 'node:net';

const listenPort = Number(process.env.RELAY_PORT ?? 8080);
const targetHost = process.env.RELAY_TARGET_HOST;
const targetPort = Number(process.env.RELAY_TARGET_PORT);
if (!targetHost || !Number.isInteger(targetPort) || targetPort <= 0) {
  process.stderr.write('relay: RELAY_TARGET_HOST and RELAY_TARGET_PORT are required\n');
  process.exit(2);
}

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
server.listen(listenPort, '0.0.0.0', () => process.stdout.write(`relay ready ${listenPort} -> ${targetHost}:${targetPort}\n`));
process.on('SIGTERM', () => process.exit(0));
