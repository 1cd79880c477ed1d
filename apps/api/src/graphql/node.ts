import { Field, ID, InterfaceType, type FieldMiddleware, type FieldOptions } from '@nestjs/graphql';
import { toGlobalId } from './global-id.js';

/** The types a client can refetch with node(id:), by their GraphQL name (the prefix of their global ids). */
export const NODE_TYPES = [
  'ApiKey',
  'Brand',
  'Campaign',
  'CatalogVersion',
  'ChannelExport',
  'CommissionOffer',
  'CommissionRule',
  'Conversion',
  'Creator',
  'Feed',
  'IngestionRun',
  'LedgerEntry',
  'Product',
  'ProductSet',
  'Publication',
  'RunIssue',
  'ShareLink',
  'ShopifyStore',
  'ShowcaseItem',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** Set by node/nodes on the object they answer, so the interface knows which type it is. */
const NODE_TYPE = Symbol('brandshelf:nodeType');

export function tagNode<T extends object>(type: NodeType, value: T): T {
  Object.defineProperty(value, NODE_TYPE, { value: type, enumerable: false, configurable: true });
  return value;
}

@InterfaceType('Node', {
  description:
    'An object with a global id: node(id:) refetches it. Ids are opaque strings, unique across all types; ' +
    'every id argument of the API takes them.',
  resolveType: (value: object) => (value as Record<symbol, NodeType | undefined>)[NODE_TYPE],
})
export abstract class Node {
  @Field(() => ID, { description: 'Global id of the object: pass it to node(id:) to refetch it.' })
  id: string;
}

const encoders = new Map<NodeType, FieldMiddleware>();

/** A field middleware answering the raw id the resolver returned as the global id of `type` (null stays null). */
export function encodeGlobalId(type: NodeType): FieldMiddleware {
  let encoder = encoders.get(type);
  if (!encoder) {
    encoder = async (_ctx, next) => {
      const raw: unknown = await next();
      return raw === null || raw === undefined ? raw : toGlobalId(type, String(raw));
    };
    encoders.set(type, encoder);
  }
  return encoder;
}

/**
 * An ID field holding the raw id of a `type` row, answered as its global id. Resolvers and services keep working
 * with raw ids; only the GraphQL output is encoded.
 */
export function GlobalIdField(type: NodeType, options: FieldOptions & { description: string }): PropertyDecorator {
  return Field(() => ID, { ...options, middleware: [...(options.middleware ?? []), encodeGlobalId(type)] });
}
