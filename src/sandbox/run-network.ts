// The per-run network, and why it looks like this. An internal Docker network has no route out, but on its own it
// still gives the host an address on the network's bridge, and every host service bound to 0.0.0.0 answers there;
// `host-gateway` is unreachable from it too. So the network is internal AND its bridge gets no IPv4 address on the
// host (inhibit_ipv4): the agent can then reach only other containers on it. One of them is the relay (alias
// `gateway`), also on the default bridge, forwarding one port to agentrt's gateway on the host.
// Takes the engine typed by the calls it makes, so dockerode stays imported by docker-driver.ts alone.
import { InfraError } from '../errors.js';
import { call, dockerStatus } from './docker-calls.js';

interface NetworkInfo {
  IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> | null };
  Containers?: Record<string, unknown> | null;
}

export interface NetworkEngine {
  createNetwork(opts: { Name: string; Internal: boolean; CheckDuplicate: boolean; Labels: Record<string, string>; Options: Record<string, string> }): Promise<{ id: string }>;
  getNetwork(id: string): {
    inspect(): Promise<NetworkInfo>;
    remove(): Promise<unknown>;
    connect(opts: { Container: string; EndpointConfig: { Aliases: string[] } }): Promise<unknown>;
    disconnect(opts: { Container: string; Force: boolean }): Promise<unknown>;
  };
}

/** The address of the host on the default bridge: where the relay finds agentrt's gateway. */
export async function hostBridgeAddress(engine: NetworkEngine): Promise<string> {
  // Docker Desktop and remote engines: the engine's bridge is not this host; say where the gateway is reachable.
  if (process.env.AGENTRT_GATEWAY_HOST) return process.env.AGENTRT_GATEWAY_HOST;
  const bridge = await call('network inspect bridge', 10_000, () => engine.getNetwork('bridge').inspect(), { retry: true });
  const v4 = (bridge.IPAM?.Config ?? []).find((c) => c.Subnet && !c.Subnet.includes(':'));
  // Older engines leave Gateway out of IPAM; Docker then gives the bridge the subnet's first address.
  const ip = v4?.Gateway ?? v4?.Subnet?.replace(/\.0\/\d+$/, '.1');
  if (!ip) {
    throw new InfraError('cannot find the host address on the Docker bridge network', {
      code: 'E_NETWORK',
      details: ['set AGENTRT_GATEWAY_HOST to an address of this host that containers on the default bridge can reach'],
    });
  }
  return ip;
}

export async function createInternalNetwork(engine: NetworkEngine, name: string, labels: Record<string, string>): Promise<string> {
  const net = await call('network create', 20_000, () =>
    engine.createNetwork({ Name: name, Internal: true, CheckDuplicate: true, Labels: labels, Options: { 'com.docker.network.bridge.inhibit_ipv4': 'true' } }),
  );
  return net.id;
}

/** The gateway address Docker assigned to an internal network (which inhibit_ipv4 keeps off the host). */
export async function networkGateway(engine: NetworkEngine, id: string): Promise<string | undefined> {
  const info = await call('network inspect', 10_000, () => engine.getNetwork(id).inspect(), { retry: true });
  return info.IPAM?.Config?.[0]?.Gateway;
}

/**
 * Removes a network. Docker may still hold an endpoint for a container it has just removed ("has active endpoints",
 * 403; seen on 20.10 under load): remove what of the run is still attached, force-disconnect leaked endpoints, and
 * try again a few times before giving up with the command that finishes the job by hand.
 */
export async function removeNetwork(engine: NetworkEngine, id: string, runId: string, removeRunContainers: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await call('network remove', 20_000, () => engine.getNetwork(id).remove(), { retry: true });
      return;
    } catch (err) {
      const status = dockerStatus(err);
      if (status === 404) return;
      if (attempt >= 6 || !(status === 403 || /active endpoints/.test((err as Error).message))) {
        throw new InfraError(`could not remove network ${id.slice(0, 12)} of run ${runId}: ${(err as Error).message}`, {
          code: 'E_NETWORK_REMOVE',
          details: [`remove it by hand: docker network rm ${id.slice(0, 12)}`],
          cause: err,
        });
      }
      await removeRunContainers();
      const info = await networkInfo(engine, id);
      for (const container of Object.keys(info?.Containers ?? {})) {
        await call('network disconnect', 10_000, () => engine.getNetwork(id).disconnect({ Container: container, Force: true })).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

async function networkInfo(engine: NetworkEngine, id: string): Promise<NetworkInfo | undefined> {
  return call('network inspect', 10_000, () => engine.getNetwork(id).inspect(), { retry: true }).catch(() => undefined);
}
