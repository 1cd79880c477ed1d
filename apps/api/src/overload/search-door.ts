import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Lexer, Source, TokenKind, type Token } from 'graphql';
import { SEARCH_FIELDS } from './overload.plugin.js';
import { OverloadService } from './overload.service.js';

/**
 * Whether a GraphQL document's operation selects a catalog field (`products`, `product`, `brands`) at its root,
 * read with graphql's lexer only as far as the first such field: no parse, no validation. It answers true only
 * when sure: the first definition is a query (shorthand or `query`), named `operationName` if one is given, and
 * one of its root fields, aliased or not, is a catalog field. Anything else (a mutation, a root fragment, a
 * fragment definition first, a lexing error before the field) is false and left to GraphQL, which decides
 * exactly. Whatever follows the catalog field is not read, so a document broken after it still counts.
 */
export function readsCatalog(query: string, operationName?: unknown): boolean {
  const lexer = new Lexer(new Source(query));
  let token: Token = lexer.token;
  const next = () => (token = lexer.advance());
  const is = (kind: TokenKind) => token.kind === kind;
  /** From an opening token, past its closing one (strings are single tokens, so braces in them do not count). */
  const skipBalanced = (open: TokenKind, close: TokenKind) => {
    let depth = 0;
    do {
      if (is(open)) depth++;
      else if (is(close)) depth--;
      else if (is(TokenKind.EOF)) return;
      next();
    } while (depth > 0);
  };
  const skipDirectives = () => {
    while (is(TokenKind.AT)) {
      next(); // the directive's name
      next();
      if (is(TokenKind.PAREN_L)) skipBalanced(TokenKind.PAREN_L, TokenKind.PAREN_R);
    }
  };
  try {
    next();
    if (is(TokenKind.NAME)) {
      if (token.value !== 'query') return false;
      next();
      const name = is(TokenKind.NAME) ? token.value : undefined;
      if (name !== undefined) next();
      if (operationName != null && operationName !== name) return false;
      if (is(TokenKind.PAREN_L)) skipBalanced(TokenKind.PAREN_L, TokenKind.PAREN_R);
      skipDirectives();
    } else if (operationName != null) return false;
    if (!is(TokenKind.BRACE_L)) return false;
    next();
    // The root selections, one by one.
    while (!is(TokenKind.BRACE_R) && !is(TokenKind.EOF)) {
      if (is(TokenKind.SPREAD)) {
        next();
        const typed = is(TokenKind.NAME) && token.value === 'on'; // `... on Type`, else `...Name` or `... @dir`
        if (is(TokenKind.NAME)) next();
        if (typed) next();
        skipDirectives();
        if (is(TokenKind.BRACE_L)) skipBalanced(TokenKind.BRACE_L, TokenKind.BRACE_R);
        continue;
      }
      if (!is(TokenKind.NAME)) return false;
      let field = token.value;
      next();
      if (is(TokenKind.COLON)) {
        next();
        if (!is(TokenKind.NAME)) return false;
        field = token.value;
        next();
      }
      if (SEARCH_FIELDS.has(field)) return true;
      if (is(TokenKind.PAREN_L)) skipBalanced(TokenKind.PAREN_L, TokenKind.PAREN_R);
      skipDirectives();
      if (is(TokenKind.BRACE_L)) skipBalanced(TokenKind.BRACE_L, TokenKind.BRACE_R);
    }
    return false;
  } catch {
    return false; // a lexing error before any catalog field: GraphQL answers it
  }
}

/** The operation text of a GraphQL request, POST (JSON body, not a batch) or GET. */
function operationOf(req: Request): { query: string; operationName?: unknown } | null {
  const source: unknown = req.method === 'GET' ? req.query : req.method === 'POST' ? req.body : null;
  if (!source || typeof source !== 'object' || Array.isArray(source)) return null;
  const { query, operationName } = source as { query?: unknown; operationName?: unknown };
  return typeof query === 'string' ? { query, operationName } : null;
}

/**
 * Refuses catalog queries at the door while the search gate and its queue are full: HTTP 429, Retry-After and
 * the body the GraphQL layer gives a refused operation (`OVERLOADED`, `retryAfterSeconds`, no data), before
 * Apollo parses, validates or prices the document. A flood of retries then costs a JSON body and a few lexer
 * tokens each instead of a GraphQL request each, which otherwise takes the CPU the admitted searches need.
 * Requests it cannot recognise cheaply go on to GraphQL, where the overload plugin admits or refuses exactly.
 */
@Injectable()
export class SearchDoorMiddleware implements NestMiddleware {
  constructor(@Inject(OverloadService) private readonly overload: OverloadService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const gate = this.overload.search;
    // Checked first so that, while the gate has room, nothing is read at all.
    if (!gate.isFull()) return next();
    if (req.originalUrl.split('?')[0] !== '/graphql') return next();
    const operation = operationOf(req);
    if (!operation || !readsCatalog(operation.query, operation.operationName)) return next();
    const refusal = gate.refuseNow();
    if (!refusal) return next();
    res.setHeader('Retry-After', String(refusal.details.retryAfterSeconds));
    res
      .status(429)
      .json({ errors: [{ message: refusal.message, extensions: { code: refusal.code, ...refusal.details } }] });
  }
}
