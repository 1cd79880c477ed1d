import { Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '@brandshelf/core';
import { ShopifyWebhooksService } from '@brandshelf/shopify';
import { runAsSystem } from '@brandshelf/db';

const MAX_WEBHOOK_BYTES = 1024 * 1024;

/**
 * POST /webhooks/shopify — product webhooks of connected stores. No API key: the HMAC over the raw body
 * with the store's webhook secret is the authentication (401 when it does not match).
 */
@Controller('webhooks')
export class ShopifyWebhooksController {
  constructor(@Inject(ShopifyWebhooksService) private readonly webhooks: ShopifyWebhooksService) {}

  @Post('shopify')
  @HttpCode(200)
  async receive(
    @Req() req: Request & { rawBody?: Buffer },
    @Headers('x-shopify-hmac-sha256') hmac: string | undefined,
    @Headers('x-shopify-shop-domain') shopDomain: string | undefined,
    @Headers('x-shopify-topic') topic: string | undefined,
    @Headers('x-shopify-webhook-id') webhookId: string | undefined,
  ): Promise<{ outcome: string }> {
    const rawBody = await rawBodyOf(req);
    // A system path: the shop domain and its verified signature say which brand's store it is.
    const outcome = await runAsSystem('shopify-webhook', () =>
      this.webhooks.receive({ rawBody, hmac, shopDomain, topic, webhookId }),
    );
    return { outcome };
  }
}

/**
 * The bytes Shopify signed. The JSON body parser keeps them as `req.rawBody` when the app is created
 * with `rawBody: true`; a body no parser touched is read here.
 */
async function rawBodyOf(req: Request & { rawBody?: Buffer }): Promise<Buffer> {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  if (Buffer.isBuffer(req.body)) return req.body;
  if (req.body !== undefined && (req as { _body?: boolean })._body) {
    throw new Error('The webhook body was parsed without its raw bytes: create the app with rawBody: true.');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_WEBHOOK_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'The webhook body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
