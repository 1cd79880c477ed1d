import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getNamedType, isObjectType, parse, type GraphQLError, type GraphQLSchema } from 'graphql';
import { ISSUES_PAGE, MAX_PAGE_SIZE } from './page-size.js';
import { AGGREGATE, SEARCH, operationCost } from './query-limits.js';
import { RESOLVERS } from './schema.js';

/** The cost model on the schema the code builds (field extensions included), without a server. */
describe('operation cost', () => {
  let schema: GraphQLSchema;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
    await app.init();
    schema = await app.get(GraphQLSchemaFactory).create(RESOLVERS);
    close = () => app.close();
  });

  afterAll(async () => {
    await close?.();
  });

  const costOf = (query: string, variables: Record<string, unknown> = {}) =>
    operationCost(schema, parse(query), variables, undefined);

  it('prices every connection and its rows, so no page escapes its first', () => {
    const unpriced: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type).name;
        const isConnection = named.endsWith('Connection');
        const isRow = type.name.endsWith('Connection') && (field.name === 'edges' || field.name === 'nodes');
        if ((isConnection || isRow) && typeof field.extensions.complexity !== 'function') {
          unpriced.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(unpriced).toEqual([]);
  });

  it('multiplies the rows of a page by first, and its totals and facets not at all', () => {
    const page = (first: number) => `{ products(first: ${first}) { totalCount facets { brand { id count } }
      pageInfo { endCursor } edges { cursor node { id title } } } }`;
    const perRow = 1 + 1 + (1 + 2); // edges, cursor, node { id title }
    expect(costOf(page(40)) - costOf(page(20))).toBe(20 * perRow);
    const facets = (first: number) =>
      `{ products(first: ${first}) { facets { brand { id name count } size { value } } } }`;
    expect(costOf(facets(100))).toBe(costOf(facets(1)));
    expect(costOf(facets(20))).toBe(SEARCH + AGGREGATE);
  });

  it('counts first from the variables, and the page size a field defaults to without them', () => {
    const query = 'query($n: Int) { products(first: $n) { nodes { id } } }';
    expect(costOf(query, { n: 50 })).toBe(SEARCH + 50 * 2);
    expect(costOf(query, {})).toBe(SEARCH + 20 * 2);
    const runs = 'query($n: Int!) { feed(id: "f") { runs(first: $n) { nodes { id } } } }';
    expect(costOf(runs, { n: 7 }) - costOf(runs, { n: 2 })).toBe(5 * 2);
    const last = 'query($n: Int!) { feeds(last: $n) { edges { node { id } } } }';
    expect(costOf(last, { n: 30 }) - costOf(last, { n: 10 })).toBe(20 * 3);
  });

  it('refuses a page size over the maximum with BAD_USER_INPUT naming it, before pricing it', () => {
    const refusal = (query: string, variables: Record<string, unknown> = {}) => {
      try {
        costOf(query, variables);
      } catch (error) {
        const e = error as GraphQLError;
        return { code: e.extensions?.code, message: e.message };
      }
      return null;
    };
    expect(refusal('{ feeds(first: 101) { nodes { id } } }')).toEqual({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining(String(MAX_PAGE_SIZE)),
    });
    expect(refusal('query($n: Int) { apiKeys(last: $n) { totalCount } }', { n: 1000 })?.code).toBe('BAD_USER_INPUT');
    expect(refusal('{ feeds(first: 100) { nodes { id } } }')).toBeNull();
    // A run's issues have their own documented maximum.
    expect(refusal('{ ingestionRun(id: "r") { issues(first: 500) { totalCount } } }')).toBeNull();
    expect(refusal('{ ingestionRun(id: "r") { issues(first: 501) { totalCount } } }')?.message).toContain(
      String(ISSUES_PAGE.maxSize),
    );
  });

  it('gives fragments and inline selections the same price as the fields written out', () => {
    const plain = '{ products(first: 10) { edges { node { id title } } totalCount } }';
    const spread = `{ products(first: 10) { ...Page } }
      fragment Page on ProductConnection { ... on ProductConnection { edges { ...Row } } totalCount }
      fragment Row on ProductEdge { node { id title } }`;
    expect(costOf(spread)).toBe(costOf(plain));
  });

  it('keeps a run’s issue summary at one price, whatever it selects', () => {
    const summary = (fields: string) => `{ ingestionRun(id: "r") { issueSummary { ${fields} } } }`;
    expect(costOf(summary('code'))).toBe(costOf(summary('code severity attribute count sampleRows')));
  });

  it('multiplies nested connections by both pages', () => {
    const nested = '{ feed(id: "f") { runs(first: 10) { nodes { issues(first: 30) { edges { node { id } } } } } } }';
    const single = '{ feed(id: "f") { runs(first: 10) { nodes { issues(first: 1) { edges { node { id } } } } } } }';
    expect(costOf(nested) - costOf(single)).toBe(10 * 29 * (1 + 2));
  });
});
