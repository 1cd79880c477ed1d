import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClickRecorder } from './click-recorder.js';
import { SHARE_CODE_PATTERN } from './codes.js';
import { LinkCache, LinkLookupsBusy } from './link-cache.js';
import type { LinkTarget } from './share-link.store.js';

/** The attribution parameter carrying the click id to the brand's landing page (what conversions report back). */
export const CLICK_ID_PARAM = 'bsclid';

/** The landing URL with the click id and utm parameters set, the link's own query kept (URL API, no concatenation). */
export function landingUrl(
  landing: string,
  target: Pick<LinkTarget, 'code' | 'channel' | 'creatorHandle'>,
  clickId: string,
): string {
  const url = new URL(landing);
  url.searchParams.set(CLICK_ID_PARAM, clickId);
  url.searchParams.set('utm_source', (target.channel ?? 'brandshelf').toLowerCase());
  url.searchParams.set('utm_medium', 'affiliate');
  url.searchParams.set('utm_campaign', target.creatorHandle);
  url.searchParams.set('utm_content', target.code);
  return url.toString();
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(
  res: ServerResponse,
  status: number,
  title: string,
  text: string,
  headers: Record<string, string> = {},
): void {
  const body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">` +
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

/** The code of `/<code>` (query and trailing slashes dropped). */
function codeOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0].replace(/^\/+|\/+$/g, '');
}

/**
 * GET /l/:code, answered by the HTTP server's own request listener ahead of Express and the API's middleware (no authentication, no body parsing, no
 * per-request log line): looks the code up in the link cache, counts the click in memory and answers 302 to the
 * product's landing page. Never a database write on this path; never a 500 for a product that left the catalog.
 */
@Injectable()
export class RedirectHandler {
  private readonly logger = new Logger('ShareLinks');

  constructor(
    @Inject(LinkCache) private readonly cache: LinkCache,
    @Inject(ClickRecorder) private readonly recorder: ClickRecorder,
  ) {}

  /** The request listener for `/l/…`, with `req.url` as `/<code>` (and any query) and `req.ip` the client address. */
  readonly handle = (req: IncomingMessage & { ip?: string }, res: ServerResponse): void => {
    try {
      if (this.answerFromCache(req, res)) return;
    } catch (error) {
      this.fail(res, error as Error);
      return;
    }
    void this.answer(req, res).catch((error: Error) => this.fail(res, error));
  };

  private fail(res: ServerResponse, error: Error): void {
    this.logger.error({ msg: 'share link redirect failed', error: error.message });
    if (!res.headersSent) page(res, 503, 'Try again in a moment', 'This link cannot be followed right now.');
    else res.destroy();
  }

  /** The usual case, without a promise: a GET or HEAD of a code the cache holds. False: not answered. */
  private answerFromCache(req: IncomingMessage & { ip?: string }, res: ServerResponse): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const code = codeOf(req);
    if (!SHARE_CODE_PATTERN.test(code)) return false;
    const target = this.cache.peek(code);
    if (target === undefined) return false;
    this.respond(req, res, target);
    return true;
  }

  private async answer(req: IncomingMessage & { ip?: string }, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const code = codeOf(req);
    let target: LinkTarget | null = null;
    if (SHARE_CODE_PATTERN.test(code)) {
      try {
        target = await this.cache.target(code);
      } catch (error) {
        if (!(error instanceof LinkLookupsBusy)) throw error;
        // Many codes not remembered at once (a flood of made-up ones): answered now, not queued, not logged.
        page(res, 503, 'Try again in a moment', 'This link cannot be followed right now.', { 'retry-after': '1' });
        return;
      }
    }
    this.respond(req, res, target);
  }

  private respond(req: IncomingMessage & { ip?: string }, res: ServerResponse, target: LinkTarget | null): void {
    if (!target) {
      page(res, 404, 'Link not found', 'This link does not exist. Check that it was copied whole.');
      return;
    }
    if (!target.live || !target.landing) {
      page(
        res,
        410,
        'No longer available',
        `The product this link led to is no longer sold by ${target.brandName}. Their other products are still ` +
          'on Brandshelf.',
      );
      return;
    }
    if (!URL.canParse(target.landing)) {
      page(res, 410, 'No longer available', `The product page of ${target.brandName} cannot be opened.`);
      return;
    }
    // HEAD (link previews, crawlers) is answered the same way but counts no click.
    const ip = req.ip ?? req.socket.remoteAddress ?? '';
    const clickId =
      req.method === 'GET' ? this.recorder.record(target, ip, String(req.headers['user-agent'] ?? '')) : 'preview';
    const location = landingUrl(target.landing, target, clickId);
    res.writeHead(302, {
      location,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer-when-downgrade',
      'content-length': '0',
    });
    res.end();
  }
}
