import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { AppError } from '@brandshelf/core';
import type { Gate, Ticket } from './gate.js';
import type { OverloadService } from './overload.service.js';

/** Root fields that read the public catalog: each counts once against the search gate. */
export const SEARCH_FIELDS = new Set(['products', 'product', 'brands']);
/** Root mutations that take in a feed: they share the upload endpoint's gate. */
export const UPLOAD_FIELDS = new Set(['fetchFeedNow', 'syncShopifyStore']);

/** Root fields of the operation (through fragments), aliases counted separately. */
function rootFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, out: string[] = []) {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) rootFields(sel.selectionSet, fragments, out);
    else {
      const fragment = fragments.get(sel.name.value);
      if (fragment) rootFields(fragment.selectionSet, fragments, out);
    }
  }
  return out;
}

/** An `OVERLOADED`/`RATE_LIMITED` AppError as a GraphQL error answered with HTTP 429 and Retry-After. */
export function tooManyRequests(error: AppError): GraphQLError {
  const retryAfter = String(error.details.retryAfterSeconds ?? 1);
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: {
      code: error.code,
      ...error.details,
      http: { status: 429, headers: new HeaderMap([['retry-after', retryAfter]]) },
    },
  });
}

/**
 * Takes the gate slots `operation` needs (a search slot per catalog root field, an upload slot per run-starting
 * mutation) and answers what releases them; a refusal (OVERLOADED, with retryAfterSeconds) holds nothing. Shared by
 * HTTP (the plugin below) and graphql-ws operations (scoped-execution.ts), so a socket cannot run what a POST may not.
 */
export async function admitOperation(
  overload: OverloadService,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): Promise<() => void> {
  const tickets: Ticket[] = [];
  const releaseAll = () => {
    for (const ticket of tickets.splice(0)) ticket.release();
  };
  if (operation.operation === 'subscription') return releaseAll;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const fields = rootFields(operation.selectionSet, fragments);
  const wanted: Array<[Gate, number]> = [
    [overload.search, fields.filter((f) => SEARCH_FIELDS.has(f)).length],
    [overload.upload, fields.filter((f) => UPLOAD_FIELDS.has(f)).length],
  ];
  for (const [gate, weight] of wanted) {
    if (weight === 0) continue;
    const ticket = gate.acquire(weight);
    tickets.push(ticket);
    try {
      await ticket.admitted;
    } catch (error) {
      releaseAll();
      throw error;
    }
  }
  return releaseAll;
}

/**
 * Admission of GraphQL operations: once the operation is known, one that reads the catalog takes a search
 * slot per catalog field (and one that starts a feed run an upload slot) for the whole execution, so
 * nested fields (variants, counts) run inside it. Refused operations run nothing and are answered with
 * HTTP 429, `extensions.code` OVERLOADED and Retry-After.
 */
export function overloadPlugin(overload: OverloadService): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const releases: Array<() => void> = [];
      const releaseAll = () => {
        for (const release of releases.splice(0)) release();
      };
      return {
        async didResolveOperation({ document, operation }) {
          if (!operation) return;
          try {
            releases.push(await admitOperation(overload, document, operation));
          } catch (error) {
            throw error instanceof AppError ? tooManyRequests(error) : error;
          }
        },
        async executionDidStart() {
          return {
            async executionDidEnd() {
              releaseAll();
            },
          };
        },
        // Every path ends here (refused by another plugin, failed, answered): nothing stays held or queued.
        async willSendResponse() {
          releaseAll();
        },
      };
    },
  };
}
