import { CODES } from '@brandshelf/catalog-rules';
import { NetError } from '@brandshelf/net';
import type { AdminApiTransport, TransportResponse } from './admin-api.transport.js';

/**
 * Why a request to a store failed for good; the sync fails the run with `SHOPIFY_<code>`, whose entry in the
 * code catalogue (libs/catalog-rules) gives the hint.
 */
export type ShopifyErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PAYMENT_REQUIRED'
  | 'LOCKED'
  | 'HTTP_ERROR'
  | 'GRAPHQL_ERROR'
  | 'MAX_COST_EXCEEDED'
  | 'UNAVAILABLE'
  | 'BLOCKED_ADDRESS'
  | 'BAD_RESPONSE';

export class ShopifyApiError extends Error {
  readonly hint: string;

  constructor(
    readonly code: ShopifyErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ShopifyApiError';
    this.hint = CODES[`SHOPIFY_${code}`].hint;
  }
}

/** `extensions.cost` of a GraphQL Admin API response. */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[] | string;
  extensions?: { cost?: QueryCost };
}

export interface AdminClientOptions {
  endpoint: string;
  accessToken: string;
  transport: AdminApiTransport;
  maxRetries: number;
  retryBaseMs: number;
  /** THROTTLED answers and 429s waited out for one request before giving up. */
  maxThrottleWaits?: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const MAX_BACKOFF_MS = 30_000;
const TRANSIENT_NET_CODES = new Set(['CONNECT_FAILED', 'TIMEOUT', 'DNS_FAILED']);

/**
 * The GraphQL Admin API of one store. Rate limits are honoured the documented way: the bucket state of
 * each answer (`extensions.cost.throttleStatus`) tells how long to wait before a query of the cost last
 * seen for it; a THROTTLED answer is waited out and retried; 429 waits Retry-After; 5xx and network
 * failures are retried with exponential backoff and jitter, a bounded number of times.
 */
export class ShopifyAdminClient {
  /** The store's clock (the Date header) at the first answer: where a sync's cursor comes from. */
  firstAnswerAt: Date | null = null;
  requests = 0;
  private bucket: { available: number; maximum: number; restoreRate: number; at: number } | null = null;
  private readonly costByQuery = new Map<string, number>();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: AdminClientOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  async query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = JSON.stringify({ query, variables });
    // A query's requested cost depends on its page size.
    const costKey = `${variables.first ?? ''}:${query}`;
    const maxThrottleWaits = this.options.maxThrottleWaits ?? 20;
    let failures = 0;
    let throttleWaits = 0;
    for (;;) {
      await this.waitForBucket(this.costByQuery.get(costKey));
      let response: TransportResponse;
      try {
        this.requests++;
        response = await this.options.transport.post(
          this.options.endpoint,
          {
            'content-type': 'application/json',
            accept: 'application/json',
            'x-shopify-access-token': this.options.accessToken,
            'user-agent': 'Brandshelf/0.1 (catalog sync)',
          },
          body,
          this.options.signal,
        );
      } catch (error) {
        if (error instanceof NetError && TRANSIENT_NET_CODES.has(error.code) && failures < this.options.maxRetries) {
          await this.sleep(this.backoff(failures++));
          continue;
        }
        throw this.networkFailure(error);
      }
      this.noteDate(response);
      const { status } = response;
      if (status === 429) {
        if (throttleWaits++ >= maxThrottleWaits)
          throw new ShopifyApiError('UNAVAILABLE', 'Shopify kept answering 429.', 429);
        await this.sleep(retryAfterMs(response) ?? this.backoff(throttleWaits));
        continue;
      }
      if (status >= 500) {
        if (failures < this.options.maxRetries) {
          await this.sleep(this.backoff(failures++));
          continue;
        }
        throw new ShopifyApiError(
          'UNAVAILABLE',
          `Shopify answered HTTP ${status} ${failures + 1} times in a row.`,
          status,
        );
      }
      if (status < 200 || status >= 300) throw statusFailure(status);

      let parsed: GraphQLBody<T>;
      try {
        parsed = JSON.parse(response.body.toString('utf8')) as GraphQLBody<T>;
      } catch {
        if (failures < this.options.maxRetries) {
          await this.sleep(this.backoff(failures++));
          continue;
        }
        throw new ShopifyApiError('BAD_RESPONSE', 'The Admin API answered with something that is not JSON.', status);
      }
      const cost = parsed.extensions?.cost;
      if (cost) this.noteCost(costKey, cost);
      const errors = typeof parsed.errors === 'string' ? [{ message: parsed.errors }] : (parsed.errors ?? []);
      const codes = errors.map((e) => e.extensions?.code ?? '');
      if (codes.includes('THROTTLED')) {
        if (throttleWaits++ >= maxThrottleWaits) {
          throw new ShopifyApiError('UNAVAILABLE', 'Shopify kept throttling the sync.', status);
        }
        // The bucket must hold the requested cost; wait until it has refilled that far.
        const wanted = cost?.requestedQueryCost ?? this.costByQuery.get(costKey) ?? 0;
        await this.waitForBucket(wanted, true);
        continue;
      }
      if (codes.includes('MAX_COST_EXCEEDED')) {
        throw new ShopifyApiError('MAX_COST_EXCEEDED', errors[0].message, status);
      }
      if (codes.includes('ACCESS_DENIED')) throw new ShopifyApiError('FORBIDDEN', errors[0].message, status);
      if (errors.length) {
        throw new ShopifyApiError(
          'GRAPHQL_ERROR',
          errors
            .map((e) => e.message)
            .join('; ')
            .slice(0, 500),
          status,
        );
      }
      if (!parsed.data) throw new ShopifyApiError('BAD_RESPONSE', 'The Admin API answered without data.', status);
      return parsed.data;
    }
  }

  /** Waits until the bucket (as last reported, refilled since at its restore rate) holds `cost`. */
  private async waitForBucket(cost: number | undefined, force = false): Promise<void> {
    const bucket = this.bucket;
    if (!bucket || cost === undefined || bucket.restoreRate <= 0) {
      if (force) await this.sleep(this.backoff(0));
      return;
    }
    const wanted = Math.min(cost, bucket.maximum);
    const elapsed = (this.now() - bucket.at) / 1000;
    const available = Math.min(bucket.maximum, bucket.available + elapsed * bucket.restoreRate);
    if (available >= wanted && !force) return;
    const ms = Math.max(force ? 100 : 0, Math.ceil(((wanted - available) / bucket.restoreRate) * 1000));
    if (ms > 0) await this.sleep(ms);
  }

  private noteCost(costKey: string, cost: QueryCost): void {
    if (Number.isFinite(cost.requestedQueryCost)) this.costByQuery.set(costKey, cost.requestedQueryCost);
    const status = cost.throttleStatus;
    if (status && Number.isFinite(status.currentlyAvailable)) {
      this.bucket = {
        available: status.currentlyAvailable,
        maximum: status.maximumAvailable,
        restoreRate: status.restoreRate,
        at: this.now(),
      };
    }
  }

  private noteDate(response: TransportResponse): void {
    if (this.firstAnswerAt) return;
    const date = response.headers.date ? new Date(response.headers.date) : null;
    this.firstAnswerAt = date && !Number.isNaN(date.getTime()) ? date : new Date(this.now());
  }

  private backoff(attempt: number): number {
    const ms = Math.min(MAX_BACKOFF_MS, this.options.retryBaseMs * 2 ** attempt);
    return Math.round(ms / 2 + (Math.random() * ms) / 2);
  }

  private networkFailure(error: unknown): Error {
    if (error instanceof NetError) {
      if (error.code === 'BLOCKED_ADDRESS') return new ShopifyApiError('BLOCKED_ADDRESS', error.message);
      return new ShopifyApiError('UNAVAILABLE', `Could not reach the store: ${error.message}`);
    }
    return error as Error;
  }
}

function statusFailure(status: number): ShopifyApiError {
  switch (status) {
    case 401:
      return new ShopifyApiError('UNAUTHORIZED', 'Shopify refused the access token (HTTP 401).', status);
    case 402:
      return new ShopifyApiError('PAYMENT_REQUIRED', 'The store is frozen (HTTP 402).', status);
    case 403:
      return new ShopifyApiError('FORBIDDEN', 'The access token may not read products (HTTP 403).', status);
    case 404:
      return new ShopifyApiError('NOT_FOUND', 'The store or API version does not exist (HTTP 404).', status);
    case 423:
      return new ShopifyApiError('LOCKED', 'The store is locked (HTTP 423).', status);
    default:
      return new ShopifyApiError('HTTP_ERROR', `Shopify answered HTTP ${status}.`, status);
  }
}

/** Retry-After in seconds (what Shopify sends) or as an HTTP date. */
function retryAfterMs(response: TransportResponse): number | null {
  const raw = response.headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.min(Math.max(0, at - Date.now()), 60_000) : null;
}
