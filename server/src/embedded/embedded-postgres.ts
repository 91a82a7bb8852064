import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL in WASM (PGlite) behind a TCP socket, so the ordinary `pg` driver, TypeORM and psql
 * talk to it exactly as to a real server. `dataDir` undefined keeps it in memory (tests).
 */
export async function startEmbeddedPostgres(
  options: { dataDir?: string; port?: number } = {},
): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : undefined;
  // PGlite's own mkdir is not recursive.
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  // maxConnections defaults to 1, which breaks a pg.Pool.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: 20 });
  keepExtendedQueriesWhole(server);
  await server.start();
  return {
    url: `postgres://postgres:postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** What pglite-socket's (internal) query queue holds: one protocol message of one connection per item. */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
}
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Extended-protocol messages that leave the backend waiting for more of the same query (Parse, Bind, …). */
const MID_QUERY_MESSAGES = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]); // P B D E C H

/**
 * pglite-socket 0.2.17 runs every protocol message of every connection through one queue, one message at a time,
 * and keeps a connection's messages together only inside a transaction. Outside one, two connections' extended
 * queries interleave: one's Bind lands on the other's unnamed statement (seen: a text[] parameter bound to a
 * `$2::bigint`, "invalid input syntax for type bigint", when the line view loaded four endpoints at once). This
 * makes the queue also keep a connection's messages together from its Parse to its Sync, as a real server's
 * separate backends would. It replaces the queue's loop on this instance; its fields are the library's own.
 */
function keepExtendedQueriesWhole(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let midQuery = false;
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    clear(handlerId);
    if (handlerId === queue.lastHandlerId) midQuery = false;
  };
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = midQuery || this.db.isInTransaction() ? this.lastHandlerId : null;
        const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
        // The owner's next message has not arrived yet: its enqueue starts the loop again.
        if (index < 0) break;
        const [item] = this.queue.splice(index, 1) as [QueuedMessage];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          midQuery = false;
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        midQuery = MID_QUERY_MESSAGES.has(item.message[0]!);
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
}
