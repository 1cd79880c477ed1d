import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type ArgumentNode, type ASTNode, type DocumentNode } from 'graphql';
import { MAX_VARIABLE_NESTING } from './nesting-guard.js';

/**
 * PostgreSQL refuses NUL in text, so a string argument holding one would fail deep in a query as a 500 with an
 * error log anyone can cause. Every string an operation carries (literals and variables) is checked before
 * anything runs, and one with NUL is answered BAD_USER_INPUT naming where it was.
 */
export function nulInOperation(document: DocumentNode, variables?: Record<string, unknown> | null): string | null {
  let found: string | null = null;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (found || !node.value.includes('\u0000')) return;
      const argument = [parent, ...[...ancestors].reverse()].find(
        (a) => !!a && !Array.isArray(a) && (a as ASTNode).kind === Kind.ARGUMENT,
      );
      found = argument ? `argument "${(argument as ArgumentNode).name.value}"` : 'string literal';
    },
  });
  if (found) return found;
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (holdsNul(value, 0)) return `variable $${name}`;
  }
  return null;
}

function holdsNul(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  // Variables nested deeper are refused before this runs (nesting-guard.ts); the bound only keeps the stack small.
  if (value === null || typeof value !== 'object' || depth > MAX_VARIABLE_NESTING) return false;
  const values: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return values.some((v) => holdsNul(v, depth + 1));
}

export function nulError(where: string): GraphQLError {
  return new GraphQLError(
    `The ${where} contains a NUL character (\\u0000), which no text field accepts; remove it and send the request again.`,
    { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
  );
}

/** Apollo plugin: refuses an operation carrying NUL in any string before it is executed. */
export const nulGuardPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        const where = nulInOperation(document, request.variables);
        if (where) throw nulError(where);
      },
    };
  },
};
