import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/**
 * Row-level security's side in the application (the database's side is migration 30).
 *
 * Every brand- or creator-owned table has a policy that shows a row only when the connection's settings name its
 * owner: `app.brand_id` (a brand's request or job), `app.creator_id` (a creator's request), or `app.system = 'on'`
 * (a named system path: schedulers, retention, the public redirects, authentication). Those settings come from the
 * scope the calling code runs in (an AsyncLocalStorage, so it follows the call through awaits); a query issued
 * outside any scope sets none of them and so sees no owned row at all.
 *
 * The application's connections take the non-owner role DATABASE_APP_ROLE (`SET ROLE`) once migrations are done,
 * so FORCE ROW LEVEL SECURITY applies to them; migrations run as the tables' owner (DATABASE_MIGRATION_URL, or the
 * login role of DATABASE_URL before the role is taken).
 *
 * How the settings reach the server: before a query, the connection compares the scope it last applied with the
 * caller's and, when they differ, first sends one `SELECT set_config(…)` (queued on the same connection, so in
 * order). A connection serving one brand's requests in a row pays nothing more. Inside a transaction the settings
 * are those of the transaction's scope; a ROLLBACK may undo a change made inside it, so after one the connection
 * applies its scope again before the next query. On the embedded database (one PostgreSQL session shared by every
 * connection) the socket server keeps each connection's settings and swaps them in when it switches connections
 * (pglite-unit-queue.ts), so the same holds there.
 */
export type DbScope =
  | { kind: 'brand'; brandId: string }
  | { kind: 'creator'; creatorId: string }
  | { kind: 'system'; name: string }
  | { kind: 'owner'; name: string }
  | { kind: 'none' };

const scopes = new AsyncLocalStorage<DbScope>();
const NONE: DbScope = { kind: 'none' };

/** The scope the caller runs in: none outside every runAs…. */
export function currentScope(): DbScope {
  return scopes.getStore() ?? NONE;
}

/** Runs `fn` as the brand: owned rows of that brand only. */
export function runAsBrand<T>(brandId: string, fn: () => T): T {
  return scopes.run({ kind: 'brand', brandId }, fn);
}

/** Runs `fn` as the creator: the creator's own rows (links, clicks, earnings) and what creators may read. */
export function runAsCreator<T>(creatorId: string, fn: () => T): T {
  return scopes.run({ kind: 'creator', creatorId }, fn);
}

/**
 * Runs `fn` across every brand, for a path that has no one brand by its nature (a scheduler, retention, an API key
 * lookup, a public redirect). `name` says which path, for logs and review: grep `runAsSystem(` to audit them all.
 */
export function runAsSystem<T>(name: string, fn: () => T): T {
  return scopes.run({ kind: 'system', name }, fn);
}

/**
 * Runs `fn` as the connection's login role (no application role): what tests' own setup and checks use (they create
 * triggers and read every row), and the one embedded-database bulk write that must skip a foreign-key trigger
 * (item.stager.ts). Nothing else in the application calls it.
 */
export function runAsOwner<T>(name: string, fn: () => T): T {
  return scopes.run({ kind: 'owner', name }, fn);
}

/** Runs `fn` with no scope: owned rows are invisible (what a query that forgot its scope gets). */
export function runUnscoped<T>(fn: () => T): T {
  return scopes.run(NONE, fn);
}

/** The principal's scope (a request's caller); anonymous callers get none. */
export function runAsPrincipal<T>(
  principal: { kind: 'brand'; brandId: string } | { kind: 'creator'; creatorId: string } | { kind: string },
  fn: () => T,
): T {
  if (principal.kind === 'brand') return runAsBrand((principal as { brandId: string }).brandId, fn);
  if (principal.kind === 'creator') return runAsCreator((principal as { creatorId: string }).creatorId, fn);
  return runUnscoped(fn);
}

/** Whether a data source's connections take the application role and carry the scope. */
export interface TenancyPolicy {
  /** The role connections take (`SET ROLE`), or null while migrating / when DATABASE_APP_ROLE=none. */
  role: string | null;
}

const SET_SCOPE =
  "SELECT set_config('role', $1, false), set_config('app.brand_id', $2, false), " +
  "set_config('app.creator_id', $3, false), set_config('app.system', $4, false)";

function settingsOf(scope: DbScope, role: string): [string, string, string, string] {
  return [
    scope.kind === 'owner' ? 'none' : role,
    scope.kind === 'brand' ? scope.brandId : '',
    scope.kind === 'creator' ? scope.creatorId : '',
    scope.kind === 'system' || scope.kind === 'owner' ? 'on' : '',
  ];
}

type QueryArgs = Parameters<pg.Client['query']>;

/**
 * A pg Client class for a pool (TypeORM's `extra.Client`) whose every query runs under the caller's scope, as
 * described above. With `policy.role` null it is a plain client.
 */
export function scopedClientClass(policy: TenancyPolicy): typeof pg.Client {
  return class ScopedClient extends pg.Client {
    /** What this connection's session was last given (role and settings joined); undefined: unknown. */
    private applied: string | undefined;

    // pg's query has many overloads (text, config, submittable; promise or callback): pass them through unchanged.
    query(...args: unknown[]): never {
      const role = policy.role;
      const call = () => (super.query as (...a: unknown[]) => unknown)(...(args as QueryArgs));
      if (!role) return call() as never;
      const settings = settingsOf(currentScope(), role);
      const key = settings.join('\u0000');
      if (key !== this.applied) {
        this.applied = key;
        (super.query as (...a: unknown[]) => Promise<unknown>)(SET_SCOPE, settings).catch(() => {
          // The query after it fails the same way (an aborted transaction); apply again next time.
          this.applied = undefined;
        });
      }
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: unknown } | null)?.text;
      // A rollback (of a transaction or to a savepoint) may undo a change of settings made inside it.
      if (typeof text === 'string' && /^\s*ROLLBACK/i.test(text)) this.applied = undefined;
      return call() as never;
    }
  };
}

/**
 * Makes a method a named system path: its every call runs as runAsSystem(name). For methods that act across brands by
 * their nature (schedulers, buffered writers of many brands' counters, caches of every brand's links).
 */
export function SystemPath(name: string) {
  return (_target: object, _key: string | symbol, descriptor: PropertyDescriptor): void => {
    const original = descriptor.value as (...args: unknown[]) => unknown;
    descriptor.value = function (this: unknown, ...args: unknown[]) {
      return runAsSystem(name, () => original.apply(this, args));
    };
  };
}

/**
 * For scripts (benches): the rest of the calling function, and what it awaits, runs in `scope`. Request and job
 * code uses the runAs… functions instead, which end with their callback.
 */
export function enterScope(scope: DbScope): void {
  scopes.enterWith(scope);
}
