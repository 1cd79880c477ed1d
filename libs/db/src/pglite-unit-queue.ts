import type { PGlite } from '@electric-sql/pglite';

type OnData = (data: Uint8Array) => void;

interface Unit {
  handlerId: number;
  items: { message: Uint8Array; onData: OnData }[];
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

interface QueueLike {
  enqueue(handlerId: number, message: Uint8Array, onData: OnData): Promise<number>;
  clearQueueForHandler(handlerId: number): void;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

/** Client messages that end a unit of work: simple Query, Sync, Flush, Terminate, COPY data/done/fail, auth. */
const BOUNDARY = new Set(['Q', 'S', 'H', 'X', 'd', 'c', 'f', 'p'].map((c) => c.charCodeAt(0)));
const COPY_IN_RESPONSE = 'G'.charCodeAt(0);
const COPY_END = new Set(['c', 'f'].map((c) => c.charCodeAt(0)));

/**
 * pglite-socket queues client messages one at a time, so two connections' extended-protocol exchanges
 * (Parse/Bind/Execute … Sync) interleave inside PGlite's single session and one connection runs the other's
 * statement. This replaces its queue on a server instance: a connection's messages are held until a
 * boundary (Sync, Query, …) and then run together, and while a transaction or a COPY is open only its
 * connection is served. Everything else about pglite-socket (startup, SSL refusal, framing) stays.
 */
export function serializeByUnit(queue: QueueLike, db: PGlite): void {
  const held = new Map<number, Unit['items']>();
  const units: Unit[] = [];
  let owner: number | null = null;
  let copyOwner: number | null = null;
  let pumping = false;

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (units.length) {
        const holder = copyOwner ?? owner;
        const index = holder === null ? 0 : units.findIndex((u) => u.handlerId === holder);
        if (index < 0) break; // the connection holding the session has nothing to run yet
        const [unit] = units.splice(index, 1);
        let bytes = 0;
        try {
          for (const item of unit.items) {
            const type = item.message[0];
            await db.runExclusive(() =>
              db.execProtocolRawStream(item.message, {
                onRawData: (data: Uint8Array) => {
                  bytes += data.length;
                  if (containsMessage(data, COPY_IN_RESPONSE)) copyOwner = unit.handlerId;
                  item.onData(data);
                },
              }),
            );
            if (COPY_END.has(type) && copyOwner === unit.handlerId) copyOwner = null;
          }
          owner = db.isInTransaction() ? unit.handlerId : null;
          unit.resolve(bytes);
        } catch (error) {
          unit.reject(error);
        }
      }
    } finally {
      pumping = false;
    }
  };

  queue.enqueue = (handlerId, message, onData) => {
    const items = held.get(handlerId) ?? [];
    items.push({ message, onData });
    // The startup packet has no type byte (its first byte is 0): a unit of its own.
    if (message[0] !== 0 && !BOUNDARY.has(message[0])) {
      held.set(handlerId, items);
      return Promise.resolve(0);
    }
    held.delete(handlerId);
    return new Promise<number>((resolve, reject) => {
      units.push({ handlerId, items, resolve, reject });
      void pump();
    });
  };

  queue.clearQueueForHandler = (handlerId) => {
    held.delete(handlerId);
    for (let i = units.length - 1; i >= 0; i--) {
      if (units[i].handlerId === handlerId) units.splice(i, 1)[0].reject(new Error('Handler disconnected'));
    }
  };

  queue.clearTransactionIfNeeded = async (handlerId) => {
    if (copyOwner === handlerId) copyOwner = null;
    if (owner === handlerId && db.isInTransaction()) await db.exec('ROLLBACK');
    if (owner === handlerId) owner = null;
    void pump();
  };
}

/** Whether a chunk of backend messages (type byte, int32 length, body; possibly several) has one of this type. */
function containsMessage(data: Uint8Array, type: number): boolean {
  let offset = 0;
  while (offset + 5 <= data.length) {
    if (data[offset] === type) return true;
    const length = (data[offset + 1] << 24) | (data[offset + 2] << 16) | (data[offset + 3] << 8) | data[offset + 4];
    if (length < 4) return false;
    offset += 1 + length;
  }
  return false;
}
