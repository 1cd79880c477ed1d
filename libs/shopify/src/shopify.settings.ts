import { ConfigError } from '@brandshelf/core';

/**
 * Shopify settings. They are read from the environment by this lib (the app's AppConfig does not know
 * them yet); every one has a default, so nothing needs setting in production. They are documented in
 * @brandshelf/core's SETTINGS, which the README's table is checked against (libs/core/src/settings-doc.spec.ts).
 */
export interface ShopifySettings {
  /** The Admin API version every request names (and the shapes this lib reads are those of). */
  apiVersion: string;
  /** Incremental syncs of each store run this often; 0 turns scheduled syncs off. */
  syncIntervalMinutes: number;
  /** Products per page of a products query (the page's requested cost must stay under the bucket). */
  pageSize: number;
  /** Retries of one request after a 5xx or a network failure, with exponential backoff. */
  maxRetries: number;
  retryBaseMs: number;
  /** A webhook's sync waits this long, so a burst of product updates becomes one run. */
  webhookDelaySeconds: number;
}

export const SHOPIFY_SETTINGS = Symbol('SHOPIFY_SETTINGS');

/** The version this lib is written against (see the README's Shopify section). */
export const SHOPIFY_API_VERSION = '2025-01';

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function loadShopifySettings(env: Env = process.env): ShopifySettings {
  const apiVersion = env.SHOPIFY_API_VERSION?.trim() || SHOPIFY_API_VERSION;
  if (!/^(\d{4}-(01|04|07|10)|unstable)$/.test(apiVersion)) {
    throw new ConfigError(
      'SHOPIFY_API_VERSION',
      `must be a Shopify API version like ${SHOPIFY_API_VERSION}, got "${apiVersion}"`,
    );
  }
  return {
    apiVersion,
    syncIntervalMinutes: int(env, 'SHOPIFY_SYNC_INTERVAL_MINUTES', 15, 0, 7 * 24 * 60),
    pageSize: int(env, 'SHOPIFY_PAGE_SIZE', 8, 1, 250),
    maxRetries: int(env, 'SHOPIFY_MAX_RETRIES', 5, 0, 20),
    retryBaseMs: int(env, 'SHOPIFY_RETRY_BASE_MS', 1000, 1, 60_000),
    webhookDelaySeconds: int(env, 'SHOPIFY_WEBHOOK_DELAY_SECONDS', 10, 0, 3600),
  };
}
