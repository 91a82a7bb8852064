import net from 'node:net';

/**
 * A TCP relay in front of the server that can go silent: `blackhole()` stops passing bytes either way but
 * keeps every connection open (a pulled cable, a hung switch, a stuck proxy — no FIN, no RST), and holds new
 * connections without answering. `restore()` closes the held connections and relays normally again.
 */
export interface SilentProxy {
  url: string;
  blackhole(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startSilentProxy(targetUrl: string): Promise<SilentProxy> {
  const target = new URL(targetUrl);
  let silent = false;
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket | null }>();

  const relay = (pair: { client: net.Socket; upstream: net.Socket | null }) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    pair.upstream = upstream;
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
    upstream.on('error', () => pair.client.destroy());
    upstream.on('close', () => pair.client.destroy());
  };

  const server = net.createServer((client) => {
    const pair = { client, upstream: null as net.Socket | null };
    pairs.add(pair);
    client.on('error', () => pair.upstream?.destroy());
    client.on('close', () => {
      pairs.delete(pair);
      pair.upstream?.destroy();
    });
    if (!silent) relay(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    blackhole() {
      silent = true;
      for (const { client, upstream } of pairs) {
        client.unpipe();
        upstream?.unpipe();
        client.pause();
        upstream?.pause();
      }
    },
    restore() {
      silent = false;
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      pairs.clear();
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
