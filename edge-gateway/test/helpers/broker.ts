import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';

export interface TestBroker {
  url: string;
  /** True when the tests run against a broker given by MQTT_URL (Mosquitto in CI). */
  external: boolean;
  stop(): Promise<void>;
}

/** The broker in MQTT_URL when set, else an embedded aedes on a free port. */
export async function startTestBroker(): Promise<TestBroker> {
  const external = process.env.MQTT_URL;
  if (external) return { url: external, external: true, stop: async () => undefined };
  return startEmbeddedBroker(0);
}

/** An aedes broker (in-memory sessions) on `port`; 0 picks a free one. */
export async function startEmbeddedBroker(port: number): Promise<TestBroker> {
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
    external: false,
    async stop() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A key unique to this test run, so parallel runs on a shared broker never see each other's topics. */
export function uniqueKey(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
