import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, SecretBox, type AppConfig } from '@brandshelf/core';
import { SsrfGuard } from '@brandshelf/net';
import { ShopifyAdminClient } from './admin-api.client.js';
import { GuardedAdminApiTransport, type AdminApiTransport } from './admin-api.transport.js';
import { SHOPIFY_SETTINGS, type ShopifySettings } from './shopify.settings.js';
import type { ShopifyStoreEntity } from './shopify-store.entity.js';
import { adminApiEndpoint } from './shop-domain.js';

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

  forCredentials(shopDomain: string, accessToken: string, apiVersion: string): ShopifyAdminClient {
    return new ShopifyAdminClient({
      endpoint: adminApiEndpoint(shopDomain, apiVersion),
      accessToken,
      transport: this.transport,
      maxRetries: this.settings.maxRetries,
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
