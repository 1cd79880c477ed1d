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

/** A list or object met in the variables: where it is (its key under its parent) and how deep. */
interface Frame {
  value: object;
  depth: number;
  key: string | number;
  parent: Frame | null;
}

function pathOf(frame: Frame): string {
  const keys: string[] = [];
  for (let f: Frame | null = frame; f; f = f.parent) {
    const { key } = f;
    if (f.parent === null) keys.push(`$${key}`);
    else if (typeof key === 'number') keys.push(`[${key}]`);
    else keys.push(/^[A-Za-z_]\w*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
  }
  return keys.reverse().join('');
}

/**
 * Where the variables first nest past MAX_VARIABLE_NESTING lists and objects (`$input.rules[0].when.all[0]…`).
 * Only lists and objects are stacked: the strings and numbers that make up most of a 1 MB body cost nothing.
 */
export function tooDeepVariable(variables: Record<string, unknown> | null | undefined): string | null {
  if (!variables || typeof variables !== 'object') return null;
  const stack: Frame[] = [];
  const push = (value: unknown, depth: number, key: string | number, parent: Frame | null) => {
    if (value !== null && typeof value === 'object') stack.push({ value, depth, key, parent });
  };
  for (const name of Object.keys(variables)) push(variables[name], 1, name, null);
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame.depth > MAX_VARIABLE_NESTING) return pathOf(frame);
    const { value, depth } = frame;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) push(value[i], depth + 1, i, frame);
    } else {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let i = keys.length - 1; i >= 0; i--) push(record[keys[i]], depth + 1, keys[i], frame);
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
