import mqtt from 'mqtt';

/**
 * A gateway keeps a persistent MQTT session (clean:false) so nothing is lost across its restarts.
 * Test runs use a fresh gateway id each time; on a real shared broker, end that session so the
 * broker does not keep queueing messages for a gateway that will never come back.
 */
export async function endPersistentSession(brokerUrl: string, clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(brokerUrl, { clientId, clean: true, protocolVersion: 4, reconnectPeriod: 0 });
  await client.endAsync();
}
