import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, BadInputError, SecretBox, isUuid, type BrandContext } from '@brandshelf/core';
import { AffiliateSettingsStore, type AffiliateSettings } from './affiliate-settings.store.js';

/** The header a signed conversion report carries: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = 'x-brandshelf-signature';
/** The header naming the brand whose secret signed the report. */
export const BRAND_HEADER = 'x-brandshelf-brand';

/** `sha256=<hex>` of HMAC-SHA256(secret, body): what a brand's server sends (exported for tests and examples). */
export function signConversionBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const unauthenticated = (reason: string, message: string) => new AppError('UNAUTHENTICATED', message, { reason });

/** A brand's attribution and return windows, and its conversion secret (created, rotated, verified). */
@Injectable()
export class AffiliateSettingsService {
  constructor(
    @Inject(AffiliateSettingsStore) private readonly store: AffiliateSettingsStore,
    @Inject(SecretBox) private readonly box: SecretBox,
  ) {}

  get(ctx: BrandContext): Promise<AffiliateSettings> {
    return this.store.get(ctx);
  }

  update(
    ctx: BrandContext,
    patch: { attributionWindowDays?: number | null; returnWindowDays?: number | null },
  ): Promise<AffiliateSettings> {
    const check = (value: number | null | undefined, min: number, max: number, field: string) => {
      if (value === null || value === undefined) return;
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new BadInputError(`${field} must be a whole number of days from ${min} to ${max}; got ${value}.`, field);
      }
    };
    check(patch.attributionWindowDays, 1, 90, 'attributionWindowDays');
    check(patch.returnWindowDays, 0, 365, 'returnWindowDays');
    return this.store.update(ctx, patch);
  }

  /**
   * Creates the brand's conversion secret, or replaces it (the old one stops verifying at once). The secret is
   * answered here only: it is stored sealed, and no query returns it.
   */
  async rotateSecret(ctx: BrandContext): Promise<{ secret: string; settings: AffiliateSettings }> {
    const secret = `bscs_${randomBytes(32).toString('base64url')}`;
    const settings = await this.store.setSecret(ctx, this.box.seal(secret), secret.slice(0, 9));
    return { secret, settings };
  }

  /**
   * The brand a signed request is from, once its signature checks out: HMAC-SHA256 of the raw bytes with the
   * brand's secret, compared in constant time. Missing, malformed and wrong signatures are UNAUTHENTICATED with a
   * `reason` (SIGNATURE_MISSING, SIGNATURE_MALFORMED, SIGNATURE_MISMATCH); a brand with no secret, or no such brand,
   * is a mismatch (ids leak nothing).
   */
  async verifySigned(brandId: string | undefined, rawBody: Buffer, signature: string | undefined): Promise<string> {
    if (!signature?.trim()) {
      throw unauthenticated(
        'SIGNATURE_MISSING',
        'Sign the body: send X-Brandshelf-Signature: sha256=<hex HMAC-SHA256 of the raw body with your conversion secret>.',
      );
    }
    const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
    if (!match) {
      throw unauthenticated('SIGNATURE_MALFORMED', 'X-Brandshelf-Signature must be sha256=<64 hex digits>.');
    }
    const mismatch = () =>
      unauthenticated(
        'SIGNATURE_MISMATCH',
        "The signature does not match the body and the brand's conversion secret: sign the exact bytes you send, " +
          'with the current secret of the brand named in X-Brandshelf-Brand.',
      );
    if (!brandId || !isUuid(brandId)) throw mismatch();
    const sealed = await this.store.systemSealedSecret(brandId.toLowerCase());
    if (!sealed) throw mismatch();
    const expected = createHmac('sha256', this.box.open(sealed)).update(rawBody).digest();
    const given = Buffer.from(match[1], 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw mismatch();
    return brandId.toLowerCase();
  }
}
