import { Controller, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import busboy from 'busboy';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { APP_CONFIG, AppError, BadInputError, type AppConfig, type BrandContext } from '@brandshelf/core';
import { FeedsService, RunSourceService, RunsService } from '@brandshelf/ingestion';
import { Auth } from '../graphql/auth.guard.js';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.js';
import { OverloadService } from '../overload/overload.service.js';
import type { ContextualRequest } from './request-context.middleware.js';

/**
 * POST /feeds/:feedId/uploads — the feed file as the raw body (any content type; gzip welcome) or
 * as the first file of a multipart form. A request Content-Encoding (deflate, br, gzip) is undone before storing,
 * except a lone gzip, which is stored as sent and inflated by the reader. Streamed to storage, never buffered whole; answered with
 * the run that will read it. feedId is the feed's global id (a raw id is still taken); the ids answered are global.
 */
@Controller('feeds')
export class UploadsController {
  constructor(
    @Inject(FeedsService) private readonly feeds: FeedsService,
    @Inject(RunsService) private readonly runs: RunsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RunSourceService) private readonly sources: RunSourceService,
    @Inject(OverloadService) private readonly overload: OverloadService,
  ) {}

  @Auth('brand')
  @Post(':feedId/uploads')
  @HttpCode(202)
  async upload(
    @Req() req: ContextualRequest,
    @Param('feedId') feedId: string,
    @Query('validateOnly') validateOnly?: string,
    @Query('filename') filename?: string,
  ) {
    // At most UPLOAD_CONCURRENCY uploads at once, a few more waiting briefly; the rest 429 OVERLOADED at once.
    const ticket = this.overload.upload.acquire();
    try {
      await ticket.admitted;
      return await this.receive(req, feedId, validateOnly, filename);
    } catch (error) {
      req.resume(); // a refused or failed upload's body is drained, not read
      throw error;
    } finally {
      ticket.release();
    }
  }

  private async receive(req: ContextualRequest, feedId: string, validateOnly?: string, filename?: string) {
    const ctx = req.context as BrandContext;
    const dryRun = validateOnlyOf(validateOnly);
    // PostgreSQL refuses NUL in text: the run could not be recorded, after the file was stored.
    if (filename?.includes('\u0000')) {
      req.resume();
      throw new AppError('BAD_USER_INPUT', 'The filename contains a NUL character (%00); remove it.');
    }
    const feed = await this.feeds.get(ctx, fromGlobalId(feedId, 'Feed', 'feedId'));
    if (feed.source === 'SHOPIFY') {
      throw new AppError('BAD_USER_INPUT', 'Shopify feeds sync from the store; they take no uploads.');
    }
    // Refused before anything is stored: while the feed has a run queued or running (CONFLICT), a declared length
    // over the limit or what is left at once; a stream once it crosses it (its partial object removed).
    let room;
    let codings;
    try {
      codings = decodedCodings(req);
      await this.runs.refuseIfActive(ctx, feed.id);
      room = await this.sources.room(ctx.principal.brandId, Number(req.headers['content-length']));
    } catch (error) {
      req.resume();
      throw error;
    }
    const { body, name } = await this.fileOf(req, codings, filename);
    req.on('aborted', () => body.destroy(new AppError('BAD_USER_INPUT', 'The upload was interrupted.')));
    let bytes = 0;
    let run;
    try {
      run = await this.sources.receive(room, body, (source) => {
        bytes = source.bytes;
        return this.runs.start(ctx, feed.id, {
          id: source.runId,
          trigger: 'UPLOAD',
          sourceKey: source.key,
          sourceName: name,
          bytesTotal: source.bytes,
          validateOnly: dryRun,
        });
      });
    } catch (error) {
      req.unpipe?.();
      req.resume();
      throw undecodable(error, req) ?? error;
    }
    return {
      runId: toGlobalId('IngestionRun', run.id),
      feedId: toGlobalId('Feed', feed.id),
      status: run.status,
      validateOnly: run.validateOnly,
      bytes,
    };
  }

  private fileOf(
    req: ContextualRequest,
    codings: string[],
    filename?: string,
  ): Promise<{ body: Readable; name: string | null }> {
    // Built only now, as the body is read: a decoding error is then always heard by whoever reads it.
    const decoded = decode(req, codings);
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('multipart/form-data')) return Promise.resolve({ body: decoded, name: filename ?? null });
    return new Promise((resolve, reject) => {
      let found = false;
      let file: Readable | null = null;
      const parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: this.config.uploads.maxBytes + 1 } });
      parser.on('file', (_field, stream, info) => {
        found = true;
        file = stream;
        // The part's file name is only recorded on the run; NUL (which PostgreSQL refuses) is dropped.
        resolve({ body: stream, name: filename ?? info.filename?.replaceAll('\u0000', '') ?? null });
      });
      parser.on('error', (error) =>
        reject(new AppError('BAD_USER_INPUT', `Malformed multipart body: ${(error as Error).message}`)),
      );
      parser.on('close', () => {
        if (!found)
          reject(new AppError('BAD_USER_INPUT', 'The multipart body has no file; send the feed as a file field.'));
      });
      if (decoded !== req) {
        // A body that is not what its Content-Encoding says fails the file being stored, or the form before it.
        decoded.on('error', (error) => {
          const failure = undecodable(error, req) ?? error;
          if (file) file.destroy(failure);
          else reject(failure);
          parser.destroy();
        });
      }
      decoded.pipe(parser);
    });
  }
}

const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** The request's Content-Encoding codings in the order they were applied, `identity` left out. */
function contentCodings(req: ContextualRequest): string[] {
  const header = req.headers['content-encoding'];
  if (!header) return [];
  return header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
}

/**
 * The codings to undo for the body as the client sent the file: a client that compresses its request (httpie
 * --compress sends deflate, others br) says so in Content-Encoding, and stored as sent that body was read as binary
 * data (NOT_A_FEED) after a 202. A lone gzip stays compressed in storage (the reader inflates gzip by its magic bytes,
 * as for a .gz file); other codings are undone, in reverse order. An unknown coding is refused before anything is
 * stored.
 */
function decodedCodings(req: ContextualRequest): string[] {
  const codings = contentCodings(req);
  if (codings.length === 0 || (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip'))) return [];
  const unknown = codings.find((coding) => !Object.hasOwn(DECODERS, coding));
  if (unknown !== undefined) {
    throw new AppError(
      'BAD_USER_INPUT',
      `Content-Encoding "${unknown}" is not accepted; send the file as it is, or compressed with gzip, deflate or br (say which in Content-Encoding). Nothing was stored.`,
    );
  }
  return codings.reverse();
}

/** The request body through a decoder per coding, in the order given. */
function decode(req: ContextualRequest, codings: string[]): Readable {
  let body: Readable = req;
  for (const coding of codings) {
    const decoder = DECODERS[coding]();
    body.on('error', (error) => decoder.destroy(error));
    body = body.pipe(decoder);
  }
  return body;
}

/** A body that is not what its Content-Encoding says (zlib's Z_* errors), as the client's mistake. */
function undecodable(error: unknown, req: ContextualRequest): AppError | null {
  if (error instanceof AppError) return null;
  const code =
    (error as { code?: unknown } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return null;
  const cause = (error as { cause?: unknown }).cause;
  const message =
    code === (error as { code?: unknown }).code || !(cause instanceof Error) ? (error as Error).message : cause.message;
  return new AppError(
    'BAD_USER_INPUT',
    `The upload is not valid ${contentCodings(req).join(', ')} data, as its Content-Encoding says (${message}); nothing was stored.`,
  );
}

/**
 * `?validateOnly=`: true or 1 asks for a dry run, false or 0 (or no parameter) for a real one. Anything else
 * (`yes`, an empty value, the parameter twice) is refused before anything is stored: read as false, a brand that
 * meant a dry run would get a real run, on an auto-publish feed a publish.
 */
function validateOnlyOf(value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string' && /^(true|1)$/i.test(value)) return true;
  if (typeof value === 'string' && /^(false|0)$/i.test(value)) return false;
  throw new BadInputError(
    `validateOnly must be true or false (1 or 0), got ${JSON.stringify(value)}; nothing was stored.`,
    'validateOnly',
  );
}
