import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, SecretBox, type AppConfig } from '@brandshelf/core';
import { SsrfGuard } from '@brandshelf/net';
import { ShopifyAdminClient } from './admin-api.client.js';
import { GuardedAdminApiTransport, type AdminApiTransport } from './admin-api.transport.js';
import { SHOPIFY_SETTINGS, type ShopifySettings } from './shopify.settings.js';
import type { ShopifyStoreEntity } from './shopify-store.entity.js';
import { adminApiEndpoint } from './shop-domain.js';

/** Retries and throttle waits of a request a person waits on (see forCredentials). */
const INTERACTIVE_MAX_RETRIES = 1;
const INTERACTIVE_MAX_THROTTLE_WAITS = 2;

/** Admin API clients for stores, over one guarded transport (the SSRF allowlist is SSRF_ALLOW_HOSTS). */
@Injectable()
export class ShopifyClients implements OnApplicationShutdown {
  readonly transport: AdminApiTransport & { close?: () => void };

  constructor(
    @Inject(APP_CONFIG) readonly config: AppConfig,
    @Inject(SHOPIFY_SETTINGS) private readonly settings: ShopifySettings,
    @Inject(SecretBox) private readonly secrets: SecretBox,
  ) {
    this.transport = new GuardedAdminApiTransport({
      guard: new SsrfGuard({ allowHosts: config.http.allowHosts }),
      connectTimeoutMs: config.http.connectTimeoutMs,
      readTimeoutMs: config.http.readTimeoutMs,
    });
  }

  /**
   * `interactive`: for a request a person waits on (connectShopifyStore's token check), one retry and two throttle
   * waits at most, not a sync's SHOPIFY_MAX_RETRIES: against a store that keeps failing or stalling, six attempts of
   * up to a minute each held the mutation for about six minutes before it could say what was wrong.
   */
  forCredentials(
    shopDomain: string,
    accessToken: string,
    apiVersion: string,
    { interactive = false }: { interactive?: boolean } = {},
  ): ShopifyAdminClient {
    return new ShopifyAdminClient({
      endpoint: adminApiEndpoint(shopDomain, apiVersion),
      accessToken,
      transport: this.transport,
      maxRetries: interactive ? Math.min(INTERACTIVE_MAX_RETRIES, this.settings.maxRetries) : this.settings.maxRetries,
      maxThrottleWaits: interactive ? INTERACTIVE_MAX_THROTTLE_WAITS : undefined,
      retryBaseMs: this.settings.retryBaseMs,
    });
  }

  forStore(store: ShopifyStoreEntity): ShopifyAdminClient {
    return this.forCredentials(store.shopDomain, this.secrets.open(store.accessTokenSealed), store.apiVersion);
  }

  onApplicationShutdown(): void {
    this.transport.close?.(); // keep-alive sockets would otherwise hold the process open
  }
}
