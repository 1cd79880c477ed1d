/** Who is calling. Every service method that touches brand-owned rows takes one of these first. */
export type Principal =
  | { kind: 'brand'; brandId: string; apiKeyId: string }
  | { kind: 'creator'; creatorId: string; apiKeyId: string }
  | { kind: 'anonymous' };

export interface RequestContext {
  requestId: string;
  principal: Principal;
  /**
   * When the HTTP request arrived (performance.now()), before anything waited for the database: an
   * operation refused because of what ran while it waited (a second publish) compares against it.
   */
  receivedAt?: number;
}

/** The brand a context acts for; services call this before any brand-scoped read or write. */
export interface BrandContext extends RequestContext {
  principal: Extract<Principal, { kind: 'brand' }>;
}

/** A context for work not caused by a request (jobs, schedules), acting for one brand. */
export function systemBrandContext(brandId: string, requestId = 'system'): BrandContext {
  return { requestId, principal: { kind: 'brand', brandId, apiKeyId: 'system' } };
}
