import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';

/**
 * graphql-js parses a document and coerces variables recursively, a few stack frames per level of nesting, so an
 * input nested about a thousand levels deep (a feed rule's `all` inside `any` inside `all` …) ran out of stack
 * and answered "Maximum call stack size exceeded" before any resolver or the rules' own limits could answer. An
 * operation is measured here first, with loops, and refused past these depths, which no input of the API comes
 * near (feed-rule conditions nest at most 8 groups, about 20 levels of variables; product-set rules 5) and which
 * leave graphql-js far from the end of the stack.
 */
export const MAX_VARIABLE_NESTING = 100;
/** Brackets ({, [, () open at once in a document: selection sets (GRAPHQL_MAX_DEPTH ≤ 100), literals, arguments. */
export const MAX_DOCUMENT_NESTING = 256;

interface Frame {
  value: unknown;
  depth: number;
  key: string;
  parent: Frame | null;
}

function pathOf(frame: Frame): string {
  const keys: string[] = [];
  for (let f: Frame | null = frame; f; f = f.parent) keys.push(f.key);
  return keys.reverse().join('');
}

/** Where the variables first nest past MAX_VARIABLE_NESTING lists and objects (`$input.rules[0].when.all[0]…`). */
export function tooDeepVariable(variables: Record<string, unknown> | null | undefined): string | null {
  if (!variables || typeof variables !== 'object') return null;
  const stack: Frame[] = [];
  for (const [name, value] of Object.entries(variables)) stack.push({ value, depth: 0, key: `$${name}`, parent: null });
  while (stack.length) {
    const frame = stack.pop()!;
    const { value } = frame;
    if (value === null || typeof value !== 'object') continue;
    const depth = frame.depth + 1;
    if (depth > MAX_VARIABLE_NESTING) return pathOf(frame);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth, key: `[${i}]`, parent: frame });
    } else {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        stack.push({
          value: child,
          depth,
          key: /^[A-Za-z_]\w*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`,
          parent: frame,
        });
      }
    }
  }
  return null;
}

/**
 * Where a document first opens more than MAX_DOCUMENT_NESTING brackets at once (`line 3, column 1200`), read with
 * graphql's lexer (a loop: strings, block strings and comments are single tokens). A document that does not lex is
 * left for graphql-js to refuse.
 */
export function tooDeepDocument(source: string): string | null {
  try {
    const lexer = new Lexer(new Source(source));
    let depth = 0;
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (OPEN.has(token.kind)) {
        if (++depth > MAX_DOCUMENT_NESTING) return `line ${token.line}, column ${token.column}`;
      } else if (CLOSE.has(token.kind)) depth = Math.max(0, depth - 1);
    }
  } catch {
    return null;
  }
  return null;
}

const OPEN = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSE = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

export function tooDeepVariableError(where: string): GraphQLError {
  return new GraphQLError(
    `Variable "${where.split(/[.[]/)[0]}" nests lists and objects more than ${MAX_VARIABLE_NESTING} levels deep (at ${where}); ` +
      'no input of this API nests that deep (feed-rule conditions: 8 groups, product-set rules: 5).',
    { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
  );
}

export function tooDeepDocumentError(where: string): GraphQLError {
  return new GraphQLError(
    `Syntax Error: the document opens more than ${MAX_DOCUMENT_NESTING} brackets ({, [, () at once (at ${where}); ` +
      'no operation of this API nests that deep.',
    { extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } } },
  );
}

/** The errors for an operation nested too deep to parse or coerce safely, else null. */
export function nestingErrors(
  source: string | undefined,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError[] | null {
  const document = source === undefined ? null : tooDeepDocument(source);
  if (document) return [tooDeepDocumentError(document)];
  const variable = tooDeepVariable(variables);
  return variable ? [tooDeepVariableError(variable)] : null;
}

/**
 * Refuses a GraphQL request (POST body or GET parameters) nested too deep before Apollo reads it: Apollo's plugin
 * hooks before parsing cannot answer a request error (one thrown there is a 500), and graphql-js parses in them.
 */
@Injectable()
export class NestingGuardMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const errors = requestNestingErrors(req);
    if (!errors) return next();
    res
      .status(400)
      .json({ errors: errors.map((e) => ({ message: e.message, extensions: { code: e.extensions.code } })) });
  }
}

function requestNestingErrors(req: Request): GraphQLError[] | null {
  if (req.method === 'GET') {
    const { query, variables } = req.query as Record<string, unknown>;
    let parsed: unknown = undefined;
    if (typeof variables === 'string') {
      try {
        parsed = JSON.parse(variables);
      } catch {
        parsed = undefined; // Apollo refuses it
      }
    }
    return nestingErrors(typeof query === 'string' ? query : undefined, isRecord(parsed) ? parsed : undefined);
  }
  const body: unknown = req.body;
  for (const operation of Array.isArray(body) ? body : [body]) {
    if (!isRecord(operation)) continue;
    const errors = nestingErrors(
      typeof operation.query === 'string' ? operation.query : undefined,
      isRecord(operation.variables) ? operation.variables : undefined,
    );
    if (errors) return errors;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
