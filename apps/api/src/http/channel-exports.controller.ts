import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ChannelExportsService, EXPORT_DOWNLOADS_AT_ONCE, type ChannelExportEntity } from '@brandshelf/ads';
import type { BrandContext } from '@brandshelf/core';
import { runAsBrand } from '@brandshelf/db';

/** Retry-After of a download refused because the export's slots are taken. */
const BUSY_RETRY_SECONDS = 30;

/**
 * GET /exports/:token.xml (Google Merchant RSS) and GET /exports/:token.csv (Meta, TikTok): no API key, the
 * token is the secret. Conditional GETs (If-None-Match, If-Modified-Since) answer 304 until the brand publishes; a HEAD
 * answers the headers without reading the catalog.
 */
@Controller('exports')
export class ChannelExportsController {
  constructor(@Inject(ChannelExportsService) private readonly exports: ChannelExportsService) {}

  @Get(':file')
  async file(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const match = /^(.+)\.(xml|csv)$/.exec(file);
    const found = match ? await this.exports.open(match[1]) : null;
    const format = found ? this.exports.format(found.channelExport) : null;
    if (!found || !format || format.extension !== match![2]) {
      res.status(404).json({ code: 'NOT_FOUND', message: 'No export at this address (a rotated token is gone).' });
      return;
    }
    // The token named the export (a system lookup); the rest reads its brand's rows, as that brand.
    const { ctx } = found;
    await runAsBrand(ctx.principal.brandId, () => this.serve(found, format, req, res));
  }

  private async serve(
    { ctx, channelExport }: NonNullable<Awaited<ReturnType<ChannelExportsService['open']>>>,
    format: ReturnType<ChannelExportsService['format']>,
    req: Request,
    res: Response,
  ): Promise<void> {
    const version = await this.exports.version(ctx, channelExport);
    res.setHeader('ETag', version.etag);
    res.setHeader('Last-Modified', version.lastModified.toUTCString());
    res.setHeader('Cache-Control', 'private, no-cache');
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    const notModified = ifNoneMatch
      ? ifNoneMatch
          .split(',')
          .map((t) => t.trim().replace(/^W\//, ''))
          .some((t) => t === version.etag || t === '*')
      : ifModifiedSince !== undefined &&
        !Number.isNaN(Date.parse(ifModifiedSince)) &&
        Date.parse(ifModifiedSince) >= version.lastModified.getTime();
    if (notModified) {
      res.status(304).end();
      return;
    }
    // Express answers HEAD with the GET handler: without this, a channel's or monitor's HEAD read the whole catalog
    // (and took a download slot) for headers alone.
    if (req.method === 'HEAD') {
      res.status(200).setHeader('Content-Type', format.contentType);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.end();
      return;
    }
    // Each download reads the whole set or catalog: a few at once per export, the rest asked to come back.
    const release = this.exports.beginDownload(channelExport);
    if (!release) {
      res.removeHeader('ETag');
      res.removeHeader('Last-Modified');
      res.setHeader('Retry-After', String(BUSY_RETRY_SECONDS));
      res.status(429).json({
        code: 'OVERLOADED',
        message:
          `This export is being downloaded ${EXPORT_DOWNLOADS_AT_ONCE} times at once already; retry in ` +
          `${BUSY_RETRY_SECONDS} s (a conditional GET with If-None-Match answers 304 at once while nothing changed).`,
        retryAfterSeconds: BUSY_RETRY_SECONDS,
      });
      return;
    }
    try {
      await this.body(ctx, channelExport, format, req, res);
    } finally {
      release();
    }
  }

  private async body(
    ctx: BrandContext,
    channelExport: ChannelExportEntity,
    format: ReturnType<ChannelExportsService['format']>,
    req: Request,
    res: Response,
  ): Promise<void> {
    res.status(200);
    res.setHeader('Content-Type', format.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const link = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl ?? ''}`;
    try {
      await this.exports.write(ctx, channelExport, res, link);
      res.end();
    } catch (error) {
      // Headers are gone: all a failure can do now is cut the response short, so the channel sees a broken file.
      res.destroy(error as Error);
    }
  }
}
