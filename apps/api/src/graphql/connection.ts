import type { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { BadInputError } from '@brandshelf/core';
import { decodeKeysetCursor, encodeKeysetCursor, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageArgs } from './page-size.js';
import { cost } from './query-limits.js';

@ArgsType()
export class ConnectionArgs implements PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size from the start (or from \`after\`), 1 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when neither first nor last is given. Larger values are BAD_USER_INPUT.`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page: the page starts after it.' })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `Page size from the end (or from \`before\`), 1 to ${MAX_PAGE_SIZE}; not with first. Larger values are BAD_USER_INPUT.`,
  })
  last?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'The startCursor of the next page: the page ends before it.',
  })
  before?: string | null;
}

@ObjectType({ description: 'Where a page starts and ends, and whether pages lie before or after it.' })
export class PageInfo {
  @Field({ description: 'Whether another page follows this one.' }) hasNextPage: boolean;
  @Field({
    description:
      'Whether a page comes before this one. For products, true whenever `after` was given (search does not look back).',
  })
  hasPreviousPage: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      'Cursor of the first item of this page: pass it as `before` for the page before. Null on an empty page.',
  })
  startCursor: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item of this page: pass it as `after` for the next page. Null on an empty page.',
  })
  endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * A Relay connection type for `node`: `<Name>Edge { cursor node }` and `<Name>Connection { edges nodes pageInfo
 * totalCount }`. `edges` and `nodes` are priced per row, multiplied by the page size (query-limits `cost.connection`).
 */
export function connectionType<T>(
  node: Type<T>,
  name: string,
  text: { one: string; many: string; description: string },
): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`, { description: `${text.one} with its cursor.` })
  class Edge {
    @Field(() => node, { description: text.one.replace(/^An? /, 'The ') + '.' }) node: T;
    @Field({ description: 'Opaque keyset cursor: pass it as `after` (or `before`) to page from here.' })
    cursor: string;
  }

  @ObjectType(`${name}Connection`, { description: text.description })
  class Connection implements ConnectionShape<T> {
    @Field(() => [Edge], { description: `The ${text.many} of this page with their cursors.`, complexity: cost.row() })
    edges: Edge[];
    @Field(() => [node], { description: `The ${text.many} of this page, without cursors.`, complexity: cost.row() })
    nodes: T[];
    @Field(() => PageInfo, { description: 'Whether pages come before or after, and the cursors to ask for them.' })
    pageInfo: PageInfo;
    @Field(() => Int, { description: `All the ${text.many} of the list, on all pages.` }) totalCount: number;
  }
  return Connection;
}

/** The connection a keyset page answers, nodes optionally mapped (e.g. to add a computed field). */
export function toConnection<E, T = E>(page: KeysetPage<E>, map?: (node: E) => T): ConnectionShape<T> {
  const edges = page.rows.map((r) => ({ cursor: r.cursor, node: map ? map(r.node) : (r.node as unknown as T) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    totalCount: page.totalCount,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * A page of a list already in memory, for lists the data bounds (a product's variants, loaded in one batch per
 * response level). The cursor names an item's id; one that left the list meanwhile is BAD_USER_INPUT.
 */
export function pageOfList<T extends { id: string }>(items: T[], request: KeysetRequest): KeysetPage<T> {
  const position = (cursor: string, arg: string) => {
    const { id } = decodeKeysetCursor('id', cursor, arg);
    const index = items.findIndex((item) => item.id === id);
    if (index < 0) throw new BadInputError(`${arg} names an item no longer in this list.`, arg);
    return index;
  };
  let start = request.after ? position(request.after, 'after') + 1 : 0;
  let end = request.before ? position(request.before, 'before') : items.length;
  if (end < start) end = start;
  if (request.fromEnd) start = Math.max(start, end - request.limit);
  else end = Math.min(end, start + request.limit);
  return {
    rows: items.slice(start, end).map((node) => ({ node, cursor: encodeKeysetCursor('id', '', node.id) })),
    hasPreviousPage: start > 0,
    hasNextPage: end < items.length,
    totalCount: items.length,
  };
}
