/** MQTT packet ids are 1..65535 (MQTT 3.1.1 §2.3.1). */
const PACKET_IDS = 65_536;

interface Slot<V> {
  key: string;
  value: V;
}

/**
 * Remembers recent delivery keys (`<packet id>:<hash>`, see `inputs/delivery-key.ts`) with a value each: the
 * newest key per packet id, in an array indexed by the id, so a lookup is one string comparison rather than a
 * hash-map probe with a freshly built string (a `Map` of 20,000–40,000 keys cost the gateway about 3 µs per
 * message, profiled). The newest key per id is all a redelivery can need: a broker reuses a packet id only after
 * it received our PUBACK for the message that had it (MQTT 3.1.1 §2.3.1), and an acknowledged message is never
 * redelivered. Keys of another shape are kept too: at least the newest `limit` of them (at most twice as many), in
 * two generations of `Map`s. Values must not be `undefined`.
 */
export class RecentKeys<V> {
  private readonly slots: (Slot<V> | undefined)[] = new Array<Slot<V> | undefined>(PACKET_IDS);
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(private readonly limit: number) {}

  /** The value of a remembered key, undefined for one not remembered. */
  get(key: string): V | undefined {
    const id = packetIdOf(key);
    if (id >= 0) {
      const slot = this.slots[id];
      return slot !== undefined && slot.key === key ? slot.value : undefined;
    }
    const value = this.young.get(key);
    return value !== undefined ? value : this.old.get(key);
  }

  /** Inserts or refreshes a key (for a packet id, it replaces that id's earlier key). */
  set(key: string, value: V): void {
    const id = packetIdOf(key);
    if (id >= 0) {
      this.slots[id] = { key, value };
      return;
    }
    this.young.set(key, value);
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  delete(key: string): void {
    const id = packetIdOf(key);
    if (id >= 0) {
      if (this.slots[id]?.key === key) this.slots[id] = undefined;
      return;
    }
    this.young.delete(key);
    this.old.delete(key);
  }
}

/** The packet id a key starts with (`123:`), or -1 for a key of another shape. */
function packetIdOf(key: string): number {
  let id = 0;
  for (let i = 0; i < 6 && i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 58 /* : */) return i > 0 && id < PACKET_IDS ? id : -1;
    if (c < 48 || c > 57) return -1;
    id = id * 10 + (c - 48);
  }
  return -1;
}
