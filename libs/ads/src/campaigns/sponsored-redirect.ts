import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@brandshelf/core';
import { CLICK_ID_PARAM, randomBase62 } from '@brandshelf/affiliate';
import { SearchService } from '@brandshelf/search';
import { AdsClock } from './ads.clock.js';
import { CLICK_TOKEN_TTL_SECONDS, verifyClaim } from './click-token.js';
import { SponsoredClickRecorder } from './sponsored-clicks.js';
import { SponsoredSearch } from './sponsored-search.js';

/**
 * The visitor cookie of sponsored clicks: 20 random base62 characters and a MAC of them (`<random>.<mac>`), for a
 * year, on /s only. Only a cookie we issued names a visitor: an unsigned or forged one is ignored (the visitor is then
 * the address and agent, and a new cookie is set). Before the MAC, a client could send a fresh made-up cookie with
 * each request and be a new visitor every time, charging a campaign for every click from one machine.
 */
export const VISITOR_COOKIE = 'bs_v';
const COOKIE_VALUE = /^([0-9A-Za-z]{20})\.([A-Za-z0-9_-]{16})$/;

const cookieMac = (key: Buffer, random: string) =>
  createHmac('sha256', key).update(`bs_v\n${random}`).digest().subarray(0, 12).toString('base64url');

/** A new visitor cookie value, signed with `key`. */
export function issueVisitorCookie(key: Buffer): string {
  const random = randomBase62(20);
  return `${random}.${cookieMac(key, random)}`;
}

/** The request's visitor cookie when we issued it (its MAC verifies under `key`), else null. */
export function visitorCookieOf(req: IncomingMessage, key: Buffer): string | null {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name !== VISITOR_COOKIE || !value) continue;
    const match = COOKIE_VALUE.exec(value);
    if (!match) continue;
    const expected = Buffer.from(cookieMac(key, match[1]));
    const given = Buffer.from(match[2]);
    if (expected.length === given.length && timingSafeEqual(expected, given)) return value;
  }
  return null;
}

/** The product's page with the click id (what conversion reports name) and utm parameters for a paid click. */
export function sponsoredLanding(landing: string, campaignId: string, clickId: string): string {
  const url = new URL(landing);
  url.searchParams.set(CLICK_ID_PARAM, clickId);
  url.searchParams.set('utm_source', 'brandshelf');
  url.searchParams.set('utm_medium', 'cpc');
  url.searchParams.set('utm_campaign', campaignId);
  return url.toString();
}

/**
 * GET /s/:token, the click URL of a sponsored result, answered by the HTTP server's own request listener ahead of
 * Express as share links are (same listener, same client address rule, same click-id parameter): verifies the
 * signed token (campaign, product, price from the auction), counts the click in memory (SponsoredClickRecorder:
 * dedupe and the charge, written in batches) and answers 302 to the product's page. HEAD and a token older than a
 * day are followed without counting. The only read is the product's landing link (batched with others).
 */
@Injectable()
export class SponsoredRedirect {
  private readonly logger = new Logger('SponsoredRedirect');

  constructor(
    @Inject(SponsoredSearch) private readonly sponsored: SponsoredSearch,
    @Inject(SponsoredClickRecorder) private readonly recorder: SponsoredClickRecorder,
    @Inject(SearchService) private readonly search: SearchService,
    @Inject(AdsClock) private readonly clock: AdsClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The request listener for `/s/…`, with `req.url` as `/<token>` and `req.ip` the client address. */
  readonly handle = (req: IncomingMessage & { ip?: string }, res: ServerResponse): void => {
    void this.answer(req, res).catch((error: Error) => {
      this.logger.error({ msg: 'sponsored redirect failed', error: error.message });
      if (!res.headersSent) res.writeHead(503, { 'cache-control': 'no-store' }).end();
      else res.destroy();
    });
  };

  private async answer(req: IncomingMessage & { ip?: string }, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const token = (req.url ?? '/').split('?')[0].replace(/^\/+|\/+$/g, '');
    const claim = verifyClaim(this.sponsored.clickKey(), token);
    const product = claim ? await this.search.productBatched(claim.productId) : null;
    if (!claim || !product || !product.link || !URL.canParse(product.link)) {
      res.writeHead(claim ? 410 : 404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(claim ? 'This product is no longer available.' : 'Link not found.');
      return;
    }
    const headers: Record<string, string> = {
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer-when-downgrade',
      'content-length': '0',
    };
    let clickId = 'preview';
    const age = Math.floor(this.clock.now().getTime() / 1000) - claim.shownAt;
    if (req.method === 'GET' && age <= CLICK_TOKEN_TTL_SECONDS && age >= -300) {
      const cookie = visitorCookieOf(req, this.sponsored.clickKey());
      const newCookie = cookie ? null : issueVisitorCookie(this.sponsored.clickKey());
      const visitor = this.recorder.visitor(
        cookie,
        req.ip ?? req.socket.remoteAddress ?? '',
        String(req.headers['user-agent'] ?? ''),
        newCookie,
      );
      if (newCookie) {
        const secure = this.config.publicBaseUrl.startsWith('https:') ? '; Secure' : '';
        headers['set-cookie'] =
          `${VISITOR_COOKIE}=${newCookie}; Max-Age=31536000; Path=/s; HttpOnly; SameSite=Lax${secure}`;
      }
      clickId = this.recorder.record(
        { campaignId: claim.campaignId, brandId: product.brandId, productId: product.id, priceMinor: claim.priceMinor },
        visitor,
      );
    }
    res.writeHead(302, { ...headers, location: sponsoredLanding(product.link, claim.campaignId, clickId) });
    res.end();
  }
}
