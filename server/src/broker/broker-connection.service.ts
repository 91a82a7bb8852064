import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import mqtt, { type MqttClient } from 'mqtt';

/** The broker URL the server uses: `MQTT_URL`, or the embedded broker it started. */
export const BROKER_URL = Symbol('BROKER_URL');

/**
 * The server's own connection to the plant's MQTT broker. Today it proves the broker is reachable
 * for `/health/ready`; later work sends commands over it.
 */
@Injectable()
export class BrokerConnectionService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Broker');
  private client: MqttClient | undefined;

  constructor(@Inject(BROKER_URL) private readonly url: string) {}

  onModuleInit(): void {
    this.client = mqtt.connect(this.url, {
      clientId: `floorboard-server-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 2000,
      connectTimeout: 5000,
    });
    this.client.on('connect', () => this.logger.log({ msg: 'broker connected', url: redact(this.url) }));
    this.client.on('error', (error) => this.logger.warn({ msg: 'broker connection error', error: error.message }));
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async onModuleDestroy(): Promise<void> {
    await this.client?.endAsync(true);
  }
}

/** Hides credentials in a URL before logging it. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}
