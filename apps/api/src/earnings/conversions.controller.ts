import { Controller, Get, Headers, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AppError, BadInputError, systemBrandContext, type BrandContext } from '@brandshelf/core';
import {
  AffiliateSettingsService,
  BRAND_HEADER,
  ConversionsService,
  EarningsService,
  SIGNATURE_HEADER,
  type ConversionReport,
  type RefundReport,
} from '@brandshelf/earnings';
import { Auth } from '../graphql/auth.guard.js';
import { OverloadService } from '../overload/overload.service.js';
import { fromGlobalId } from '../graphql/global-id.js';
import type { ContextualRequest } from '../http/request-context.middleware.js';
import { conversionView, moneyOf } from './earnings.resolver.js';
import { runAsBrand } from '@brandshelf/db';

/** A signed report is small: 500 lines fit in well under this. */
export const MAX_CONVERSION_BYTES = 256 * 1024;

/** Paths whose bodies no parser may read first: the signature is over the raw bytes (see createApi). */
export const RAW_BODY_PATHS = /^\/conversions(\/|\?|$)/;

/**
 * The raw bytes of the request, read as they stream in and refused (413) past `limit`, before all of them
 * arrive when Content-Length says so.
 */
async function readRaw(req: Request & { rawBody?: Buffer }, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `A conversion report may be at most ${limit} bytes.`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The path of the first string in `value` holding NUL (PostgreSQL refuses it in text), or null. */
function nulAt(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  // The body is at most MAX_CONVERSION_BYTES; the depth guard only keeps the stack small.
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  for (const [key, v] of Object.entries(value)) {
    const found = nulAt(v, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return null;
}

function parseJson(raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    value = undefined; // answered below
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadInputError('The body must be a JSON object.');
  }
  const nul = nulAt(value, '');
  if (nul) {
    throw new BadInputError(
      `${nul} contains a NUL character (\\u0000), which no text field accepts; remove it and send the report again.`,
      nul,
    );
  }
  return value as Record<string, unknown>;
}

const productIds = (body: Record<string, unknown>) => {
  if (!Array.isArray(body.lines)) return body;
  return {
    ...body,
    lines: body.lines.map((line: unknown, i: number) => {
      if (!line || typeof line !== 'object') return line;
      const l = line as Record<string, unknown>;
      return typeof l.productId === 'string'
        ? { ...l, productId: fromGlobalId(l.productId, 'Product', `lines.${i}.productId`) }
        : l;
    }),
  };
};

/**
 * POST /conversions and POST /conversions/refunds: a brand's server reports orders and refunds with no API key,
 * the body signed instead: X-Brandshelf-Brand names the brand, X-Brandshelf-Signature is sha256=<hex HMAC-SHA256 of
 * the raw body with the brand's conversion secret>. Unsigned, wrongly signed or re-serialized bodies are 401.
 */
@Controller()
export class ConversionsController {
  constructor(
    @Inject(AffiliateSettingsService) private readonly settings: AffiliateSettingsService,
    @Inject(ConversionsService) private readonly conversions: ConversionsService,
    @Inject(EarningsService) private readonly earnings: EarningsService,
    @Inject(OverloadService) private readonly overload: OverloadService,
  ) {}

  private async signedBrand(req: Request, brand: string | undefined, signature: string | undefined) {
    // An address whose signatures keep failing is refused before its body is read or any secret looked up.
    const failures = this.overload.signatureFailures;
    const client = `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
    const wait = failures?.waitSeconds(client) ?? 0;
    if (wait > 0) {
      req.resume();
      throw new AppError(
        'RATE_LIMITED',
        `Too many requests with a missing or wrong signature from this address; retry in ${wait} s.`,
        { retryAfterSeconds: wait },
      );
    }
    const raw = await readRaw(req, MAX_CONVERSION_BYTES);
    let brandId: string | undefined;
    try {
      brandId = brand ? fromGlobalId(brand.trim(), 'Brand', BRAND_HEADER) : undefined;
    } catch {
      brandId = undefined; // answered as a mismatch, like an unknown brand
    }
    let verified: string;
    try {
      verified = await this.settings.verifySigned(brandId, raw, signature);
    } catch (error) {
      failures?.take(client);
      throw error;
    }
    return { ctx: systemBrandContext(verified, 'signed-conversion'), body: parseJson(raw) };
  }

  @Post('conversions')
  @HttpCode(200)
  async report(
    @Req() req: Request,
    @Headers(BRAND_HEADER) brand: string | undefined,
    @Headers(SIGNATURE_HEADER) signature: string | undefined,
  ) {
    const { ctx, body } = await this.signedBrand(req, brand, signature);
    // The signature named the brand: the rest runs as it (row-level security, libs/db tenancy.ts).
    const result = await runAsBrand(ctx.principal.brandId, () =>
      this.conversions.report(ctx, productIds(body) as unknown as ConversionReport, 'SIGNED_POST'),
    );
    return { duplicate: result.duplicate, conversion: conversionView(result.conversion) };
  }

  @Post('conversions/refunds')
  @HttpCode(200)
  async refund(
    @Req() req: Request,
    @Headers(BRAND_HEADER) brand: string | undefined,
    @Headers(SIGNATURE_HEADER) signature: string | undefined,
  ) {
    const { ctx, body } = await this.signedBrand(req, brand, signature);
    const result = await runAsBrand(ctx.principal.brandId, () =>
      this.conversions.refund(ctx, productIds(body) as unknown as RefundReport),
    );
    return {
      duplicate: result.duplicate,
      reversed: moneyOf(result.reversedMinor, result.conversion.currency),
      conversion: conversionView(result.conversion),
    };
  }

  /** GET /affiliate/payouts.csv?status=APPROVED — per creator and currency, what is in that status (brand key). */
  @Auth('brand')
  @Get('affiliate/payouts.csv')
  async payoutsCsv(
    @Req() req: ContextualRequest,
    @Query('status') status: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    // ?status=A&status=B (or status[x]=…) reaches here as an array or object, not a string.
    if (status !== undefined && typeof status !== 'string') {
      throw new BadInputError('status must be one of PENDING, APPROVED, PAID, REVERSED, given once.', 'status');
    }
    const wanted = (status ?? 'APPROVED').toUpperCase();
    const csv = await this.earnings.payoutsCsv(req.context as BrandContext, wanted);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="payouts-${wanted.toLowerCase()}.csv"`);
    await pipeline(csv, res).catch(() => undefined);
  }
}
