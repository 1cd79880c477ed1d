import { isIP } from 'node:net';
import { resolve } from 'node:path';

/** Thrown at boot when a setting is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export type StorageDriver = 'local' | 's3';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Where the embedded database, uploads and local media live. */
  dataDir: string;
  /** Real PostgreSQL when set; embedded PGlite under dataDir otherwise. */
  databaseUrl: string | null;
  /** Migrations connect here (the tables' owner) when set; DATABASE_URL's login otherwise. */
  databaseMigrationUrl: string | null;
  /** The role the application's connections take after migrations (row-level security applies to it); null: none. */
  databaseAppRole: string | null;
  databasePoolSize: number;
  /** The embedded database runs on a worker thread of its own (not the event loop that answers HTTP). */
  embeddedDatabaseThread: boolean;
  /**
   * Set at boot, not from the environment: the server is PGlite, where one open transaction makes every
   * other connection wait. Paths that hold a transaction open while other connections write avoid it.
   */
  databaseIsPglite: boolean;
  /** Run queue consumers inside the API process (the embedded default). */
  runWorkers: boolean;
  workerConcurrency: number;
  /** A running job's lease: kept alive while its process lives; a dead process's job is retried after it. */
  jobLeaseSeconds: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  publicBaseUrl: string;
  /** The built web console served at / (README: Console); null: dist/console of this checkout. */
  consoleDir: string | null;
  graphql: {
    maxDepth: number;
    maxComplexity: number;
    maxAliases: number;
    /** Schema introspection, "Did you mean …" suggestions and the IDE page: on by default except in production. */
    introspection: boolean;
    fieldSuggestions: boolean;
    ide: boolean;
  };
  storage: {
    driver: StorageDriver;
    s3: {
      bucket: string | null;
      region: string;
      endpoint: string | null;
      forcePathStyle: boolean;
      accessKeyId: string | null;
      secretAccessKey: string | null;
      publicBaseUrl: string | null;
    };
  };
  /** fetchDeadlineSeconds: longest a URL feed's download may take in total (HTTP_READ_TIMEOUT_MS bounds each wait). */
  uploads: { maxBytes: number; fetchDeadlineSeconds: number };
  /** What a brand may keep in storage, and how long run sources are kept (README: Storage). */
  retention: { quotaBytes: number; diagnosticSources: number; sourceDays: number };
  ingest: {
    maxStoredIssues: number;
    progressIntervalMs: number;
    workerThreads: boolean;
    readerYoungGenerationMb: number;
  };
  feedRules: {
    /** FEED_RULES_REGEX_TIMEOUT_MS: a pattern slower than this on one value is off for the rest of the run. */
    regexTimeoutMs: number;
    /** FEED_RULES_ITEM_BUDGET_MS: the rules' time on one item of a run; past it items are stopped and rejected. */
    itemBudgetMs: number;
    /** FEED_RULES_PREVIEW_ITEMS: items of the latest run's source that previewFeedRules reads. */
    previewItems: number;
    /** FEED_RULES_PREVIEW_BUDGET_MS: previewFeedRules stops once it has taken this long (part-way through an item if need be). */
    previewBudgetMs: number;
  };
  catalog: { versionRetention: number };
  http: { allowHosts: string[]; connectTimeoutMs: number; readTimeoutMs: number };
  images: {
    enabled: boolean;
    maxBytes: number;
    concurrency: number;
    hostConcurrency: number;
    fetchDeadlineSeconds: number;
    maxInputPixels: number;
  };
  /** Ad creatives (libs/ads): renders one process runs at once; more wait (bounded) or are refused OVERLOADED. */
  creatives: { renderConcurrency: number; pruneGraceHours: number };
  /**
   * Work one process admits at once (README: Overload and rate limits): beyond `concurrency`, up to `queue`
   * requests wait at most `queueTimeoutMs`; the rest are answered at once with 429 OVERLOADED.
   */
  overload: {
    search: { concurrency: number; queue: number; queueTimeoutMs: number };
    upload: { concurrency: number; queue: number; queueTimeoutMs: number };
  };
  /** Per-client token bucket of one process (by API key, else client IP); perMinute 0 turns it off. */
  rateLimit: { perMinute: number; burst: number };
  /** Express's `trust proxy`: which hops' X-Forwarded-For is believed for the client IP. */
  trustProxy: boolean | number | string[];
  /** Key for encrypting secrets at rest (store tokens); generated under dataDir when unset. */
  secretKey: string | null;
  shutdownTimeoutMs: number;
  /** Share-link clicks are buffered in memory and written at least this often (README: Creators earn). */
  affiliate: { clickFlushIntervalMs: number };
  /** Sponsored products (README: Campaigns and sponsored products). */
  ads: {
    /** ISO 4217 code every campaign bids and budgets in (bids in one currency are comparable in one auction). */
    currency: string;
    /** The least a sponsored click costs, a decimal string in major units of `currency`. */
    reserveCpc: string;
    /** ts_rank a product needs with the query to be shown as sponsored (the organic ranking's relevance). */
    relevanceFloor: number;
    /** How far ahead of the clock a campaign may spend, in minutes' worth of its daily budget. */
    pacingLeadMinutes: number;
    /** How long the list of running campaigns is kept in memory between reads. */
    campaignCacheMs: number;
  };
  /** V8's old-generation growth between full GCs, in percent; 0 leaves V8's own (README: Benchmarks). */
  heapGrowingPercent: number;
}

/** Every setting, its default and its meaning: the README's table is written from this list. */
export const SETTINGS: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  { name: 'NODE_ENV', default: 'development', meaning: 'development, production or test.' },
  { name: 'HOST', default: '0.0.0.0', meaning: 'Interface the API listens on.' },
  { name: 'PORT', default: '3000', meaning: 'HTTP port of the API (GraphQL at /graphql, health at /health).' },
  {
    name: 'DATA_DIR',
    default: './data',
    meaning:
      'Embedded database (DATA_DIR/pg, with its Unix socket in DATA_DIR/pg-socket, both mode 0700), uploaded feeds and local media live here.',
  },
  {
    name: 'DATABASE_URL',
    default: '(unset: embedded PGlite)',
    meaning:
      'postgres://user:pass@host:5432/db. Unset runs an embedded PostgreSQL (PGlite) under DATA_DIR/pg, reachable only through a Unix socket that other local users cannot open (no TCP port).',
  },
  {
    name: 'DATABASE_MIGRATION_URL',
    default: '(unset: DATABASE_URL)',
    meaning:
      'Where migrations run: a login that owns the tables. Set it when DATABASE_URL logs in as a role that does not ' +
      'own them (the recommended deployment, see README: Tenancy); unset, migrations run on DATABASE_URL before its ' +
      'connections take DATABASE_APP_ROLE.',
  },
  {
    name: 'DATABASE_APP_ROLE',
    default: 'brandshelf_app',
    meaning:
      'The role every application connection takes (SET ROLE) once migrations are done: it owns no table, so ' +
      'row-level security applies to it and a query outside a brand, creator or system scope sees no owned row. ' +
      "Migration 30 creates it (NOLOGIN) and grants it the tables; DATABASE_URL's login must be a member. `none` " +
      'keeps the login role (then RLS holds only if that role neither owns the tables nor is a superuser). A login ' +
      'that cannot take the role stops start-up with a message saying so.',
  },
  { name: 'DATABASE_POOL_SIZE', default: '10', meaning: 'Connections per process for the application pool.' },
  {
    name: 'EMBEDDED_DATABASE_THREAD',
    default: 'true',
    meaning:
      'Without DATABASE_URL, run PGlite and its socket server on a worker thread, so SQL never runs on the event ' +
      'loop that answers HTTP; false runs them on the main thread (for comparison in bench:responsiveness).',
  },
  {
    name: 'RUN_WORKERS',
    default: 'true when embedded, false with DATABASE_URL',
    meaning: 'Whether the API process also consumes queue jobs. Run `npm run start:worker` processes otherwise.',
  },
  { name: 'WORKER_CONCURRENCY', default: '2', meaning: 'Jobs of each kind one process works on at once.' },
  {
    name: 'JOB_LEASE_SECONDS',
    default: '60',
    meaning:
      'A running job is leased to its process, which renews the lease while it lives; the job of a process that ' +
      'died (kill -9, lost machine) is handed to another worker within about 1.5 times this, instead of waiting ' +
      "for the job kind's full expiry. An ingestion run silent that long (at most 60 s) is taken over by that retry, " +
      "and one silent twice that long is queued again by the scheduler's stall sweep.",
  },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'debug, info, warn or error. Logs are JSON lines on stdout.' },
  {
    name: 'PUBLIC_BASE_URL',
    default: 'http://localhost:PORT',
    meaning:
      'Base of URLs handed to clients (media, IngestionRun.issuesCsvUrl, share links: PUBLIC_BASE_URL/l/<code>).',
  },
  { name: 'GRAPHQL_MAX_DEPTH', default: '10', meaning: 'Deepest selection a GraphQL operation may have.' },
  {
    name: 'GRAPHQL_MAX_COMPLEXITY',
    default: '10000',
    meaning:
      'Largest cost a GraphQL operation may have: about one per value answered, `first` multiplying what a page ' +
      'repeats, 100 per search or aggregate query (see Errors).',
  },
  { name: 'GRAPHQL_MAX_ALIASES', default: '100', meaning: 'Most aliased fields one GraphQL operation may use.' },
  {
    name: 'GRAPHQL_INTROSPECTION',
    default: 'false in production, else true',
    meaning: 'Answer schema introspection (`__schema`, `__type`) over HTTP and WebSocket.',
  },
  {
    name: 'GRAPHQL_FIELD_SUGGESTIONS',
    default: 'false in production, else true',
    meaning: 'Name similar fields and types ("Did you mean …") in validation errors.',
  },
  {
    name: 'GRAPHQL_IDE',
    default: 'false in production, else true',
    meaning: 'Serve the GraphQL IDE at /graphql to browsers.',
  },
  {
    name: 'CONSOLE_DIR',
    default: 'dist/console (of this checkout)',
    meaning:
      'The built web console served at / (`npm run build` writes it). Without an index.html there, / answers a ' +
      'short page saying how to build it; the API works either way.',
  },
  {
    name: 'STORAGE_DRIVER',
    default: 'local (s3 when S3_BUCKET is set)',
    meaning:
      'local disk (media under DATA_DIR/media, served at /media; uploaded and fetched feed files under DATA_DIR/files, never served), or s3 (both in S3_BUCKET).',
  },
  { name: 'S3_BUCKET', default: '', meaning: 'Bucket for uploads and media with the s3 driver.' },
  { name: 'S3_REGION', default: 'us-east-1', meaning: 'S3 region.' },
  { name: 'S3_ENDPOINT', default: '', meaning: 'S3-compatible endpoint (MinIO, R2, s3rver); AWS when empty.' },
  { name: 'S3_FORCE_PATH_STYLE', default: 'false', meaning: 'Path-style bucket addressing (needed by MinIO/s3rver).' },
  { name: 'S3_ACCESS_KEY_ID', default: '', meaning: 'S3 credentials; the AWS default chain when empty.' },
  { name: 'S3_SECRET_ACCESS_KEY', default: '', meaning: 'S3 credentials; the AWS default chain when empty.' },
  {
    name: 'S3_PUBLIC_BASE_URL',
    default: '',
    meaning: 'Public URL prefix of stored media (a CDN in front of the bucket).',
  },
  {
    name: 'UPLOAD_MAX_BYTES',
    default: '2147483648',
    meaning:
      'Largest feed upload or fetched feed accepted (413 above), and the most a gzip feed may inflate to (the run fails with GZIP_TOO_LARGE past it).',
  },
  {
    name: 'FEED_FETCH_DEADLINE_SECONDS',
    default: '3600',
    meaning:
      "Longest a URL feed's download may take in total, redirects included (the run fails with FETCH_TIMEOUT past it); HTTP_READ_TIMEOUT_MS only bounds the wait for each next chunk, so without it a server sending a byte now and then held the run and a worker slot for ever.",
  },
  {
    name: 'STORAGE_QUOTA_BYTES',
    default: '10737418240',
    meaning:
      "Storage one brand may use: its kept feed sources, its images' renditions and its ad creatives. An upload or " +
      'fetch that would cross it, or a creative render once it is reached, is refused with QUOTA_EXCEEDED and ' +
      'nothing is stored. 0 turns the quota off.',
  },
  {
    name: 'SOURCE_RETENTION_DIAGNOSTIC_RUNS',
    default: '5',
    meaning:
      "Per feed, the last N failed, cancelled or validate-only runs keep their source file for diagnosis; older ones' " +
      'are deleted. Sources of kept catalog versions stay as long as their version.',
  },
  {
    name: 'SOURCE_RETENTION_DAYS',
    default: '30',
    meaning: 'The source file of a failed, cancelled or validate-only run is deleted this many days after it finished.',
  },
  {
    name: 'INGEST_MAX_STORED_ISSUES',
    default: '100000',
    meaning: 'Issues stored per run for browsing and CSV; beyond it only the per-code summary counts grow.',
  },
  {
    name: 'CATALOG_VERSION_RETENTION',
    default: '10',
    meaning:
      'Catalog versions kept per feed for rollback (the live one always); older ones are pruned with their data.',
  },
  {
    name: 'INGEST_PROGRESS_INTERVAL_MS',
    default: '500',
    meaning: 'How often a running ingestion writes its progress.',
  },
  {
    name: 'INGEST_WORKER_THREADS',
    default: 'true',
    meaning:
      'Read, validate and hash feed files on a worker thread, off the event loop that answers HTTP; false runs them ' +
      'on the main thread (for comparison in bench:responsiveness).',
  },
  {
    name: 'INGEST_READER_YOUNG_GENERATION_MB',
    default: '8',
    meaning:
      "The reader thread's V8 young generation, in MB: 8 keeps the serving process under 300 MB at 1M rows; 32 (V8's " +
      'own default) reads about 10% faster for about 20 MB more (bench:ingest and bench:serve-memory, README).',
  },
  {
    name: 'FEED_RULES_REGEX_TIMEOUT_MS',
    default: '100',
    meaning:
      "A feed rule's MATCHES or REPLACE pattern that takes longer than this on one value is switched off for the rest of the run (the rule engine's limit; see README: Feed rules).",
  },
  {
    name: 'FEED_RULES_ITEM_BUDGET_MS',
    default: '100',
    meaning:
      "How long a feed's rules may take on one item of a run. Once an item has taken longer, each later item is stopped at this and rejected (FEED_RULES_TOO_SLOW), and past 100 such items the run fails (FEED_RULES_RUN_TOO_SLOW), so rules cannot hold a worker for hours.",
  },
  {
    name: 'FEED_RULES_PREVIEW_ITEMS',
    default: '10000',
    meaning: "Items of the feed's latest stored source that previewFeedRules reads (the first N).",
  },
  {
    name: 'FEED_RULES_PREVIEW_BUDGET_MS',
    default: '10000',
    meaning:
      "previewFeedRules stops once it has taken this long, part-way through an item if need be (it runs on the API's event loop): it answers the items it read whole, truncated.",
  },
  {
    name: 'SSRF_ALLOW_HOSTS',
    default: '',
    meaning:
      'Comma-separated host names (`*.example.com`: its subdomains), IPs or CIDRs that feed, image and Shopify fetching may reach even if private or loopback. No port, scheme or path (`127.0.0.1`, not `127.0.0.1:8080`): such an entry stops boot.',
  },
  { name: 'HTTP_CONNECT_TIMEOUT_MS', default: '10000', meaning: 'Connect timeout for feed and image fetches.' },
  { name: 'HTTP_READ_TIMEOUT_MS', default: '30000', meaning: 'Idle read timeout for feed and image fetches.' },
  { name: 'IMAGES_ENABLED', default: 'true', meaning: 'Fetch and process product images after staging.' },
  { name: 'IMAGE_MAX_BYTES', default: '20971520', meaning: 'Largest image downloaded.' },
  {
    name: 'IMAGE_CONCURRENCY',
    default: '3',
    meaning:
      "Images one process works on at once. One brand's runs take at most IMAGE_CONCURRENCY − 1 of them (when it is over 1), so another brand's images never wait behind a slow image host.",
  },
  {
    name: 'IMAGE_HOST_CONCURRENCY',
    default: '2',
    meaning: "Image downloads one process runs at once from one host, so no brand's image server is hammered.",
  },
  {
    name: 'IMAGE_FETCH_DEADLINE_SECONDS',
    default: '60',
    meaning:
      'Longest one image download may take in total, redirects included; HTTP_READ_TIMEOUT_MS only bounds the wait for each next chunk.',
  },
  { name: 'IMAGE_MAX_INPUT_PIXELS', default: '50000000', meaning: 'Decompression-bomb limit for one image.' },
  {
    name: 'CREATIVE_RENDER_CONCURRENCY',
    default: '2',
    meaning:
      '`renderCreative` renders one process runs at once (each on one libvips thread, off the event loop); up to 8 × this wait at most 30 s for a slot, any more are answered `OVERLOADED`. A creative already stored takes no slot.',
  },
  {
    name: 'CREATIVE_PRUNE_GRACE_HOURS',
    default: '24',
    meaning:
      'How long a stale creative (of an earlier title, price or image, or of a product no longer live) is kept after the prune that follows a publish, rollback or feed deletion first finds it stale; then its row goes, and its file once no brand has the key. 0 prunes at once.',
  },
  {
    name: 'SEARCH_CONCURRENCY',
    default: 'DATABASE_POOL_SIZE / 2 − 1, at least 1',
    meaning:
      'Public catalog queries (`products`, `product`, `brands`) one process runs at once; an operation counts once per ' +
      'such field. Each holds one connection for its snapshot; the rest of the pool stays free for brands, uploads and runs.',
  },
  {
    name: 'SEARCH_QUEUE',
    default: '8 × SEARCH_CONCURRENCY',
    meaning:
      'Catalog queries that may wait for a free slot; any more are answered at once with HTTP 429, `OVERLOADED` and Retry-After. 0: none waits.',
  },
  {
    name: 'SEARCH_QUEUE_TIMEOUT_MS',
    default: '500',
    meaning:
      'Longest a catalog query waits for a slot before it is answered with 429 `OVERLOADED` (Retry-After: this, rounded up to whole seconds, at least 1). It bounds what a served search spends queued (see Benchmarks).',
  },
  {
    name: 'UPLOAD_CONCURRENCY',
    default: '4',
    meaning:
      'Feed uploads (POST /feeds/:id/uploads), `fetchFeedNow` and `syncShopifyStore` one process handles at once.',
  },
  {
    name: 'UPLOAD_QUEUE',
    default: '8',
    meaning:
      'Uploads and run-starting mutations that may wait for a slot; any more are answered with 429 `OVERLOADED`.',
  },
  {
    name: 'UPLOAD_QUEUE_TIMEOUT_MS',
    default: '5000',
    meaning: 'Longest an upload or run-starting mutation waits for a slot before it is answered with 429 `OVERLOADED`.',
  },
  {
    name: 'RATE_LIMIT_PER_MINUTE',
    default: '600',
    meaning:
      'Requests per minute one client (the account of its API key, else its IP) may make to /graphql, /feeds and /runs, in each ' +
      'process (a token bucket in memory). Beyond it: HTTP 429, `RATE_LIMITED`, Retry-After. 0 turns the limit off.',
  },
  {
    name: 'RATE_LIMIT_BURST',
    default: '100',
    meaning: "Requests a client may make at once before RATE_LIMIT_PER_MINUTE paces it (the bucket's size).",
  },
  {
    name: 'TRUST_PROXY',
    default: 'loopback,linklocal,uniquelocal',
    meaning:
      'Proxies whose X-Forwarded-For names the client IP (for rate limits): true, false, a hop count, or ' +
      'comma-separated addresses, CIDRs and loopback / linklocal / uniquelocal.',
  },
  {
    name: 'SECRET_KEY',
    default: '(generated into DATA_DIR/secret.key)',
    meaning:
      '32+ characters; encrypts store tokens at rest and keys the visitor hashes of share-link clicks. Set it explicitly when running several machines.',
  },
  { name: 'SHOPIFY_API_VERSION', default: '2025-01', meaning: 'Admin API version for newly connected Shopify stores.' },
  {
    name: 'SHOPIFY_SYNC_INTERVAL_MINUTES',
    default: '15',
    meaning: 'How often each connected store gets an incremental sync; 0 turns scheduled syncs off.',
  },
  {
    name: 'SHOPIFY_PAGE_SIZE',
    default: '8',
    meaning: 'Products per Admin API page (1–250); halved on MAX_COST_EXCEEDED.',
  },
  {
    name: 'SHOPIFY_MAX_RETRIES',
    default: '5',
    meaning: 'Retries of one Admin API request of a sync after a 5xx or network failure (connecting retries once).',
  },
  {
    name: 'SHOPIFY_RETRY_BASE_MS',
    default: '1000',
    meaning: 'First retry backoff; doubles each time (capped at 30 s).',
  },
  {
    name: 'SHOPIFY_WEBHOOK_DELAY_SECONDS',
    default: '10',
    meaning: 'A product webhook queues an incremental sync this much later, so a burst of updates is one run.',
  },
  {
    name: 'CLICK_FLUSH_INTERVAL_MS',
    default: '500',
    meaning:
      'Share-link clicks are counted in memory and written in batches at least this often (and whenever 500 wait, ' +
      'and at graceful shutdown); the redirect itself never writes to the database.',
  },
  {
    name: 'ADS_CURRENCY',
    default: 'USD',
    meaning: 'The currency campaigns bid and budget in: one auction compares bids, so they share one currency.',
  },
  {
    name: 'ADS_RESERVE_CPC',
    default: '0.10',
    meaning:
      'The least a sponsored click costs (reserve price, in ADS_CURRENCY): the price when no other campaign ranks ' +
      'below, and the least max CPC a campaign may bid.',
  },
  {
    name: 'ADS_RELEVANCE_FLOOR',
    default: '0.2',
    meaning:
      'Relevance (the organic ts_rank) a product needs with the query to win a sponsored slot: a title match ' +
      '(~0.6) or a brand, type or category match (~0.24) passes, a match in the description alone (~0.12) does ' +
      'not. Category listings without a query count as 1.',
  },
  {
    name: 'ADS_PACING_LEAD_MINUTES',
    default: '60',
    meaning:
      "How far ahead of the clock a campaign may spend (minutes' worth of its daily budget) before it sits out " +
      'auctions until the clock catches up.',
  },
  {
    name: 'ADS_CAMPAIGN_CACHE_MS',
    default: '1000',
    meaning:
      'How long each process keeps the running campaigns (and their spend today) in memory between reads; a ' +
      'pause, resume or end in the same process applies at once.',
  },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    default: '25000',
    meaning:
      'How long shutdown waits for in-flight requests and jobs. Running jobs get this less a fifth of it (at least 1 s) ' +
      'to finish; in that last fifth an ingestion run still going is handed back to the queue (QUEUED, with a job ' +
      'another worker takes at once), and any job still running at its end is failed back for a retry. Past it nothing ' +
      'waits more than 3 s for the database; the process exits 1 if closing has not ended 10 s after it (see Shutdown ' +
      'under Architecture).',
  },
  {
    name: 'HEAP_GROWING_PERCENT',
    default: '50',
    meaning:
      'How far (in percent) the JavaScript heap may grow past what is live before a full garbage collection. On a ' +
      'machine with memory to spare V8 lets it reach 4× what is live, which made a process ingesting a large feed ' +
      "hold 1.6× the memory (see Benchmarks). 0 leaves it to V8 (and to node's --heap-growing-percent).",
  },
  {
    name: 'MALLOC_ARENA_MAX',
    default: '2',
    meaning:
      "Read by glibc's allocator when the process starts, not by the app: how many malloc arenas its threads share. " +
      "`npm start`, `start:api`, `start:worker` and the docker image set 2 unless it is set; glibc's own default " +
      '(8 per core) let the API process ingesting 1M rows reach 319–326 MB against 276–285 MB (see Benchmarks).',
  },
];

type Env = Record<string, string | undefined>;

function appRole(env: Env): string | null {
  const role = str(env, 'DATABASE_APP_ROLE') ?? 'brandshelf_app';
  if (role === 'none') return null;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) {
    throw new ConfigError(
      'DATABASE_APP_ROLE',
      'must be a lower-case PostgreSQL role name (letters, digits, _) or none',
    );
  }
  return role;
}

function str(env: Env, name: string): string | null {
  const value = env[name];
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function int(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = str(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name);
  if (raw === null) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function decimal(env: Env, name: string, fallback: string): string {
  const raw = str(env, name);
  if (raw === null) return fallback;
  if (!/^\d{1,9}(\.\d{1,6})?$/.test(raw))
    throw new ConfigError(name, `must be a decimal number like 0.10, got "${raw}"`);
  return raw;
}

function currencyCode(env: Env, name: string, fallback: string): string {
  const raw = str(env, name);
  if (raw === null) return fallback;
  if (!/^[A-Za-z]{3}$/.test(raw)) throw new ConfigError(name, `must be an ISO 4217 code like USD, got "${raw}"`);
  return raw.toUpperCase();
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = str(env, name);
  if (raw === null) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = str(env, name);
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL (expected ${protocols[0]}//…), got "${redact(raw)}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

/** Hides the password of a connection string before it reaches a message or a log. */
export function redact(connection: string): string {
  return connection.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Express's `trust proxy` values: true/false, a hop count, or addresses, CIDRs and the names above. */
function trustProxy(env: Env): boolean | number | string[] {
  const raw = str(env, 'TRUST_PROXY');
  if (raw === null) return ['loopback', 'linklocal', 'uniquelocal'];
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  if (/^\d+$/.test(raw)) return Number(raw);
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const item of items) {
    const [address, bits, extra] = item.split('/');
    const family = isIP(address);
    const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!PROXY_NAMES.has(item) && (!family || !validBits || extra !== undefined)) {
      throw new ConfigError(
        'TRUST_PROXY',
        `must be true, false, a hop count or addresses, CIDRs, loopback, linklocal, uniquelocal; got "${item}"`,
      );
    }
  }
  return items;
}

const HOST_NAME = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i;

/**
 * SSRF_ALLOW_HOSTS: host names (`*.example.com` for its subdomains), IP addresses and CIDRs. An entry the guard
 * could never match (a port, a scheme, a path, a CIDR's bits out of range) stops boot instead of leaving every
 * fetch to it refused with no word about why.
 */
function allowHosts(env: Env): string[] {
  const items = (str(env, 'SSRF_ALLOW_HOSTS') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  for (const item of items) {
    const [address, bits, extra] = item.split('/');
    const family = isIP(address);
    const validCidr =
      family !== 0 &&
      extra === undefined &&
      (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32)));
    if (!validCidr && !HOST_NAME.test(item)) {
      throw new ConfigError(
        'SSRF_ALLOW_HOSTS',
        `must list host names (*.example.com for subdomains), IP addresses or CIDRs, comma-separated, with no ` +
          `scheme, port or path; got "${item}"` +
          (/^[^/]*:\d+$/.test(item) && !isIP(item) ? ` (name the host alone: "${item.replace(/:\d+$/, '')}")` : ''),
      );
    }
  }
  return items;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const bucket = str(env, 'S3_BUCKET');
  const driver = oneOf<StorageDriver>(env, 'STORAGE_DRIVER', ['local', 's3'], bucket ? 's3' : 'local');
  if (driver === 's3' && !bucket) throw new ConfigError('S3_BUCKET', 'is required when STORAGE_DRIVER=s3');
  const secretKey = str(env, 'SECRET_KEY');
  if (secretKey !== null && secretKey.length < 32)
    throw new ConfigError('SECRET_KEY', 'must be at least 32 characters');
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  // What tells a stranger about the schema is for developers: off in production unless asked for.
  const exposed = nodeEnv !== 'production';
  const poolSize = int(env, 'DATABASE_POOL_SIZE', 10, 1, 500);
  // A search holds one pooled connection for its snapshot; half the pool less one leaves the rest to brands, uploads
  // and runs (bench:load on a 10-connection pool: 4 served more than 2, and 8 no more than 4 with a worse p95).
  const searchConcurrency = int(env, 'SEARCH_CONCURRENCY', Math.max(1, Math.floor(poolSize / 2) - 1), 1, 1000);
  return {
    env: nodeEnv,
    host: str(env, 'HOST') ?? '0.0.0.0',
    port,
    dataDir: resolve(str(env, 'DATA_DIR') ?? './data'),
    databaseUrl,
    databaseMigrationUrl: url(env, 'DATABASE_MIGRATION_URL', ['postgres:', 'postgresql:']),
    databaseAppRole: appRole(env),
    databasePoolSize: poolSize,
    embeddedDatabaseThread: bool(env, 'EMBEDDED_DATABASE_THREAD', true),
    databaseIsPglite: false,
    runWorkers: bool(env, 'RUN_WORKERS', databaseUrl === null),
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', 2, 1, 256),
    jobLeaseSeconds: int(env, 'JOB_LEASE_SECONDS', 60, 2, 3600),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    publicBaseUrl: (url(env, 'PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/$/, ''),
    consoleDir: str(env, 'CONSOLE_DIR') === null ? null : resolve(str(env, 'CONSOLE_DIR')!),
    graphql: {
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 100),
      maxComplexity: int(env, 'GRAPHQL_MAX_COMPLEXITY', 10_000, 10),
      maxAliases: int(env, 'GRAPHQL_MAX_ALIASES', 100, 0),
      introspection: bool(env, 'GRAPHQL_INTROSPECTION', exposed),
      fieldSuggestions: bool(env, 'GRAPHQL_FIELD_SUGGESTIONS', exposed),
      ide: bool(env, 'GRAPHQL_IDE', exposed),
    },
    storage: {
      driver,
      s3: {
        bucket,
        region: str(env, 'S3_REGION') ?? 'us-east-1',
        endpoint: url(env, 'S3_ENDPOINT', ['http:', 'https:']),
        forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', false),
        accessKeyId: str(env, 'S3_ACCESS_KEY_ID'),
        secretAccessKey: str(env, 'S3_SECRET_ACCESS_KEY'),
        publicBaseUrl: url(env, 'S3_PUBLIC_BASE_URL', ['http:', 'https:']),
      },
    },
    uploads: {
      maxBytes: int(env, 'UPLOAD_MAX_BYTES', 2 * 1024 ** 3, 1),
      fetchDeadlineSeconds: int(env, 'FEED_FETCH_DEADLINE_SECONDS', 3600, 1),
    },
    retention: {
      quotaBytes: int(env, 'STORAGE_QUOTA_BYTES', 10 * 1024 ** 3, 0),
      diagnosticSources: int(env, 'SOURCE_RETENTION_DIAGNOSTIC_RUNS', 5, 0, 1000),
      sourceDays: int(env, 'SOURCE_RETENTION_DAYS', 30, 0, 3650),
    },
    ingest: {
      maxStoredIssues: int(env, 'INGEST_MAX_STORED_ISSUES', 100_000, 0),
      progressIntervalMs: int(env, 'INGEST_PROGRESS_INTERVAL_MS', 500, 50, 60_000),
      workerThreads: bool(env, 'INGEST_WORKER_THREADS', true),
      readerYoungGenerationMb: int(env, 'INGEST_READER_YOUNG_GENERATION_MB', 8, 1, 1024),
    },
    feedRules: {
      regexTimeoutMs: int(env, 'FEED_RULES_REGEX_TIMEOUT_MS', 100, 1, 10_000),
      itemBudgetMs: int(env, 'FEED_RULES_ITEM_BUDGET_MS', 100, 1, 600_000),
      previewItems: int(env, 'FEED_RULES_PREVIEW_ITEMS', 10_000, 1, 1_000_000),
      previewBudgetMs: int(env, 'FEED_RULES_PREVIEW_BUDGET_MS', 10_000, 0, 600_000),
    },
    catalog: { versionRetention: int(env, 'CATALOG_VERSION_RETENTION', 10, 1, 1000) },
    http: {
      allowHosts: allowHosts(env),
      connectTimeoutMs: int(env, 'HTTP_CONNECT_TIMEOUT_MS', 10_000, 1),
      readTimeoutMs: int(env, 'HTTP_READ_TIMEOUT_MS', 30_000, 1),
    },
    images: {
      enabled: bool(env, 'IMAGES_ENABLED', true),
      maxBytes: int(env, 'IMAGE_MAX_BYTES', 20 * 1024 * 1024, 1),
      concurrency: int(env, 'IMAGE_CONCURRENCY', 3, 1, 64),
      hostConcurrency: int(env, 'IMAGE_HOST_CONCURRENCY', 2, 1, 64),
      fetchDeadlineSeconds: int(env, 'IMAGE_FETCH_DEADLINE_SECONDS', 60, 1),
      maxInputPixels: int(env, 'IMAGE_MAX_INPUT_PIXELS', 50_000_000, 1),
    },
    creatives: {
      renderConcurrency: int(env, 'CREATIVE_RENDER_CONCURRENCY', 2, 1, 64),
      pruneGraceHours: int(env, 'CREATIVE_PRUNE_GRACE_HOURS', 24, 0, 24 * 365),
    },
    overload: {
      search: {
        concurrency: searchConcurrency,
        queue: int(env, 'SEARCH_QUEUE', 8 * searchConcurrency, 0, 100_000),
        queueTimeoutMs: int(env, 'SEARCH_QUEUE_TIMEOUT_MS', 500, 0, 600_000),
      },
      upload: {
        concurrency: int(env, 'UPLOAD_CONCURRENCY', 4, 1, 1000),
        queue: int(env, 'UPLOAD_QUEUE', 8, 0, 100_000),
        queueTimeoutMs: int(env, 'UPLOAD_QUEUE_TIMEOUT_MS', 5000, 0, 600_000),
      },
    },
    rateLimit: {
      perMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 10_000_000),
      burst: int(env, 'RATE_LIMIT_BURST', 100, 1, 10_000_000),
    },
    trustProxy: trustProxy(env),
    secretKey,
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 25_000, 0),
    affiliate: { clickFlushIntervalMs: int(env, 'CLICK_FLUSH_INTERVAL_MS', 500, 10, 600_000) },
    ads: {
      currency: currencyCode(env, 'ADS_CURRENCY', 'USD'),
      reserveCpc: decimal(env, 'ADS_RESERVE_CPC', '0.10'),
      relevanceFloor: Number(decimal(env, 'ADS_RELEVANCE_FLOOR', '0.2')),
      pacingLeadMinutes: int(env, 'ADS_PACING_LEAD_MINUTES', 60, 0, 1440),
      campaignCacheMs: int(env, 'ADS_CAMPAIGN_CACHE_MS', 1000, 0, 600_000),
    },
    heapGrowingPercent: int(env, 'HEAP_GROWING_PERCENT', 50, 0, 1000),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
