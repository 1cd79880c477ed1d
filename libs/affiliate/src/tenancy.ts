import { ForbiddenError, UnauthenticatedError, type RequestContext } from '@brandshelf/core';

/** The brand a request acts for; anything else is refused before a row is read. */
export function brandOf(ctx: RequestContext): string {
  if (ctx.principal.kind === 'brand') return ctx.principal.brandId;
  if (ctx.principal.kind === 'anonymous') throw new UnauthenticatedError();
  throw new ForbiddenError('This operation is for brand accounts; the API key belongs to a creator.');
}

/** The creator a request acts for; anything else is refused before a row is read. */
export function creatorOf(ctx: RequestContext): string {
  if (ctx.principal.kind === 'creator') return ctx.principal.creatorId;
  if (ctx.principal.kind === 'anonymous') throw new UnauthenticatedError();
  throw new ForbiddenError('This operation is for creator accounts; the API key belongs to a brand.');
}

/** Who owns what a request may see: a brand, a creator, or nobody (the public sees no affiliate data). */
export type Owner = { kind: 'brand'; brandId: string } | { kind: 'creator'; creatorId: string };

export function ownerOf(ctx: RequestContext): Owner {
  if (ctx.principal.kind === 'brand') return { kind: 'brand', brandId: ctx.principal.brandId };
  if (ctx.principal.kind === 'creator') return { kind: 'creator', creatorId: ctx.principal.creatorId };
  throw new UnauthenticatedError();
}
