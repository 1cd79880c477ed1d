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
  const inputs = new Map<number, MessageStream>();
  const units: Unit[] = [];
  let owner: number | null = null;
  let copyOwner: number | null = null;
  let pumping = false;
  // PGlite has one session, so settings are shared by every connection. Those row-level security reads (the role
  // and the app.* scope, see tenancy.ts) are kept per connection: saved when the session turns to another
  // connection's unit and given back when it turns to that connection again, as separate sessions would keep them.
  // The session's current values are tracked, so a switch costs a query only when a unit may have changed them (it
  // called set_config) or the next connection's differ: connections of one scope take turns for free.
  const scopes = new Map<number, string>();
  let scopeHolder: number | null = null;
  /** The session's values (joined), or null when a unit may have changed them since they were last read or set. */
  let session: string | null = null;
  const switchScope = async (handlerId: number) => {
    if (scopeHolder === handlerId) return;
    if (scopeHolder !== null) {
      if (session === null) {
        const { rows } = await db.query<{ s: string[] }>(SCOPE_READ, [], { rowMode: 'object' });
        session = rows[0].s.join(SEPARATOR);
      }
      scopes.set(scopeHolder, session);
    }
    const wanted = scopes.get(handlerId) ?? DEFAULT_SCOPE;
    if (session !== wanted) {
      await db.query(SCOPE_WRITE, wanted.split(SEPARATOR));
      session = wanted;
    }
    scopeHolder = handlerId;
  };

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
        if (holder === null) {
          try {
            await switchScope(unit.handlerId);
          } catch (error) {
            unit.reject(error);
            continue;
          }
        }
        // PGlite hands its answer over in buffer-sized chunks that split messages anywhere, so the
        // answer is read as a stream: a "G" byte of row data at a chunk's start is not a COPY starting.
        const output = new MessageStream(false);
        const onType = (type: number) => {
          if (type === COPY_IN_RESPONSE) copyOwner = unit.handlerId;
        };
        try {
          for (const item of unit.items) {
            const type = item.message[0];
            if (session !== null && mentions(item.message, SET_CONFIG)) session = null;
            await db.runExclusive(() =>
              db.execProtocolRawStream(item.message, {
                onRawData: (data: Uint8Array) => {
                  bytes += data.length;
                  output.push(data, onType);
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
    let input = inputs.get(handlerId);
    if (!input) inputs.set(handlerId, (input = new MessageStream(true)));
    // The startup packet (no type byte, reported as 0) is a unit of its own.
    let boundary = false;
    input.push(message, (type) => (boundary = type === UNTYPED || BOUNDARY.has(type)));
    if (!boundary) {
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
    scopes.delete(handlerId);
    if (scopeHolder === handlerId) scopeHolder = null;
    inputs.delete(handlerId);
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

/** A connection's row-level security settings (tenancy.ts), read and written as one array. */
const SCOPE_READ =
  "SELECT ARRAY[current_setting('role'), coalesce(current_setting('app.brand_id', true), ''), " +
  "coalesce(current_setting('app.creator_id', true), ''), coalesce(current_setting('app.system', true), '')] AS s";
const SCOPE_WRITE =
  "SELECT set_config('role', $1, false), set_config('app.brand_id', $2, false), " +
  "set_config('app.creator_id', $3, false), set_config('app.system', $4, false)";
const SEPARATOR = '\u0000';
/** A new connection's: the login role, no scope. */
const DEFAULT_SCOPE = ['none', '', '', ''].join(SEPARATOR);
/** What every change of those settings goes through (tenancy.ts's SET_SCOPE; nothing else sets them). */
const SET_CONFIG = new TextEncoder().encode('set_config');

/** Whether `bytes` contains `pattern`. */
function mentions(bytes: Uint8Array, pattern: Uint8Array): boolean {
  const last = bytes.length - pattern.length;
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return true;
  }
  return false;
}

/** The type reported for a message without a type byte (startup, SSL, GSSAPI and cancel requests). */
export const UNTYPED = 0;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * Splits a protocol byte stream into messages by their length, whatever the chunking: a message may
 * span chunks and a chunk may hold many. Typed messages are a type byte and an int32 length (which
 * counts itself); a client stream starts with untyped ones (an int32 length, then a code), the startup
 * message last (an SSL or GSSAPI request is followed by another untyped message).
 */
export class MessageStream {
  private readonly header = new Uint8Array(8);
  private filled = 0;
  private type = UNTYPED;
  /** Bytes of the current message still to skip once its header is read. */
  private remaining = 0;

  constructor(private untyped: boolean) {}

  /** Feeds a chunk; `onMessage` is called with the type of each message that ends in it. */
  push(chunk: Uint8Array, onMessage: (type: number) => void): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const skipped = Math.min(this.remaining, chunk.length - offset);
        offset += skipped;
        this.remaining -= skipped;
        if (this.remaining === 0) this.end(onMessage);
        continue;
      }
      // An untyped header is the length and the code (to know whether the startup is over).
      const headerSize = this.untyped ? 8 : 5;
      const taken = Math.min(headerSize - this.filled, chunk.length - offset);
      this.header.set(chunk.subarray(offset, offset + taken), this.filled);
      this.filled += taken;
      offset += taken;
      if (this.filled < headerSize) break;
      const view = new DataView(this.header.buffer);
      const length = view.getInt32(this.untyped ? 0 : 1);
      if (length < (this.untyped ? 8 : 4)) throw new Error(`Malformed protocol message: length ${length}`);
      if (this.untyped) {
        this.type = UNTYPED;
        this.remaining = length - 8;
        const code = view.getInt32(4);
        this.untyped = code === SSL_REQUEST || code === GSSENC_REQUEST;
      } else {
        this.type = this.header[0];
        this.remaining = length - 4; // the length counts itself, not the type byte
      }
      if (this.remaining === 0) this.end(onMessage);
    }
  }

  private end(onMessage: (type: number) => void): void {
    this.filled = 0;
    onMessage(this.type);
  }
}
