import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, MEDIA_STORAGE, type AppConfig } from '@brandshelf/core';
import type { ObjectStorage } from '@brandshelf/storage';

/** How often the database is probed, and how long a probe may take on a real server before it counts as down. */
export const HEALTH_PROBE_INTERVAL_MS = 2000;
export const HEALTH_PROBE_TIMEOUT_MS = 5000;
/**
 * The media store (S3 or local disk) is checked at most this often, and only while /health is asked: a load
 * balancer probing every second costs the bucket one request per this interval per API process.
 */
export const STORAGE_PROBE_INTERVAL_MS = 5000;
/** How long a storage check may take before it counts as down. */
export const STORAGE_PROBE_TIMEOUT_MS = 2000;
/** The key a storage check asks about (a HEAD of an object that need not exist: answering is what counts). */
const STORAGE_PROBE_KEY = 'health/probe';

/** What /health says of the media store. `unknown` until its first check has answered. */
export interface StorageHealth {
  status: 'up' | 'down' | 'unknown';
  driver: 's3' | 'local';
  latencyMs: number | null;
  checkedMsAgo: number | null;
  error?: string;
}

export interface HealthState {
  healthy: boolean;
  database: 'up' | 'busy' | 'down';
  /** The last finished probe's round trip. */
  latencyMs: number | null;
  /** How long ago the last probe finished. */
  checkedMsAgo: number | null;
  error?: string;
}

/** The database URL the health probe connects to (set from the runtime by the API module). */
export const HEALTH_DATABASE_URL = Symbol('HEALTH_DATABASE_URL');

/**
 * Answers /health from process state, never from the user pool: a background probe (`SELECT 1` every 2 s on a
 * connection of its own) records whether the database answers. On a real server a probe that fails or takes
 * over 5 s marks it down. The embedded database runs in this process and serves one connection at a time, so
 * a probe waiting behind user work there means busy, not down; only a failing probe marks it down.
 */
@Injectable()
export class HealthMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Health');
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private probeStarted: number | null = null;
  private last: { ok: boolean; at: number; latencyMs: number; error?: string } | null = null;
  private storageProbe: Promise<void> | null = null;
  private storageLast: { ok: boolean; at: number; latencyMs: number; error?: string } | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(HEALTH_DATABASE_URL) private readonly url: string,
    @Inject(MEDIA_STORAGE) private readonly media: ObjectStorage,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.probe();
    this.schedule();
    void this.probeStorage();
  }

  /**
   * The media store as last checked; a check older than STORAGE_PROBE_INTERVAL_MS starts another in the
   * background (never awaited here: /health answers from what is known).
   */
  storage(): StorageHealth {
    const now = performance.now();
    const last = this.storageLast;
    if (!this.stopped && !this.storageProbe && (!last || now - last.at >= STORAGE_PROBE_INTERVAL_MS)) {
      void this.probeStorage();
    }
    const driver = this.config.storage.driver === 's3' ? 's3' : 'local';
    if (!last) return { status: 'unknown', driver, latencyMs: null, checkedMsAgo: null };
    return {
      status: last.ok ? 'up' : 'down',
      driver,
      latencyMs: last.latencyMs,
      checkedMsAgo: Math.round(now - last.at),
      ...(last.ok ? {} : { error: last.error }),
    };
  }

  private probeStorage(): Promise<void> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Error(`no answer for ${STORAGE_PROBE_TIMEOUT_MS} ms`);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timedOut), STORAGE_PROBE_TIMEOUT_MS);
      timer.unref();
    });
    this.storageProbe = Promise.race([this.media.head(STORAGE_PROBE_KEY), timeout])
      .then(
        () => {
          this.storageLast = { ok: true, at: performance.now(), latencyMs: Math.round(performance.now() - started) };
        },
        (error: unknown) => {
          // /health is public: it names the failure (ECONNREFUSED, AccessDenied, timeout), the log says the rest
          // (the endpoint, the bucket).
          const failure = error as { code?: unknown; name?: unknown; message?: unknown } | null;
          const code = typeof failure?.code === 'string' ? failure.code : null;
          const name = typeof failure?.name === 'string' && failure.name !== 'Error' ? failure.name : null;
          if (this.storageLast?.ok !== false) {
            this.logger.warn({ msg: 'storage health check failed', error: String(failure?.message ?? error) });
          }
          this.storageLast = {
            ok: false,
            at: performance.now(),
            latencyMs: Math.round(performance.now() - started),
            error: code ?? name ?? (error === timedOut ? 'timeout' : 'error'),
          };
        },
      )
      .finally(() => {
        clearTimeout(timer);
        this.storageProbe = null;
      });
    return this.storageProbe;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  state(): HealthState {
    const now = performance.now();
    const embedded = this.config.databaseIsPglite;
    const pendingMs = this.probeStarted === null ? 0 : now - this.probeStarted;
    const last = this.last;
    const base = { latencyMs: last?.latencyMs ?? null, checkedMsAgo: last ? Math.round(now - last.at) : null };
    if (last && !last.ok) return { healthy: false, database: 'down', ...base, error: last.error };
    if (pendingMs > HEALTH_PROBE_TIMEOUT_MS) {
      return embedded
        ? { healthy: true, database: 'busy', ...base }
        : { healthy: false, database: 'down', ...base, error: `no answer for ${Math.round(pendingMs)} ms` };
    }
    if (!last) return { healthy: true, database: 'busy', ...base };
    return { healthy: true, database: 'up', ...base };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.probe().finally(() => this.schedule()), HEALTH_PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    const started = performance.now();
    this.probeStarted = started;
    try {
      if (!this.client) {
        const client = new pg.Client({
          connectionString: this.url,
          connectionTimeoutMillis: HEALTH_PROBE_TIMEOUT_MS,
          application_name: 'brandshelf-health',
          // On a real server a probe is bounded; the embedded one may wait behind user work (busy, not down).
          ...(this.config.databaseIsPglite ? {} : { query_timeout: HEALTH_PROBE_TIMEOUT_MS }),
        });
        client.on('error', () => undefined); // a dropped connection fails the next probe, which reconnects
        await client.connect();
        this.client = client;
      }
      await this.client.query('SELECT 1');
      this.last = { ok: true, at: performance.now(), latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      const message = (error as Error).message;
      if (this.last?.ok !== false) this.logger.warn({ msg: 'database health probe failed', error: message });
      this.last = {
        ok: false,
        at: performance.now(),
        latencyMs: Math.round(performance.now() - started),
        error: message,
      };
      const client = this.client;
      this.client = null;
      await client?.end().catch(() => undefined);
    } finally {
      this.probeStarted = null;
    }
  }
}
