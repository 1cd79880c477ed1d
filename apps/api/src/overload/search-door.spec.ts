import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse, validate } from 'graphql';
import { readsCatalog } from './search-door.js';

/** The committed schema: the documents below are written against it, so the door is tested on real shapes. */
const schema = buildSchema(readFileSync(new URL('../../../../schema.graphql', import.meta.url), 'utf8'));

/** Who is asking, in the current shape: `me` is the union Me (BrandPrincipal | CreatorPrincipal). */
const ME = 'me { __typename ... on BrandPrincipal { apiKeyId } ... on CreatorPrincipal { apiKeyId } }';

/** Documents that are valid against the schema: the door's answer must agree with what GraphQL would run. */
const VALID_CATALOG = [
  '{ products(first: 5) { edges { node { id } } } }',
  'query { brands { nodes { id } } }',
  'query Search($q: String, $f: ProductFilter = { price: { min: "1" } }) { products(query: $q, filter: $f) { totalCount } }',
  `# a comment { me }\n{ hits: products(query: "a } ( {") { totalCount } }`,
  `{ ${ME} __typename x: product(id: "1") { id } }`,
  `{ ... on Query @skip(if: false) { ${ME} } brands { nodes { id } } }`,
];
const VALID_OTHER = [
  `{ ${ME} }`,
  '{ __typename }',
  '{ me { ... on BrandPrincipal { products: apiKeyId } } }', // a nested field by that name is not a root field
  '{ ... on Query { products { totalCount } } }',
  `query A { products { totalCount } } query B { ${ME} }`,
];

describe('readsCatalog (the door: a few lexer tokens, no parse)', () => {
  it('is tested on documents of the current schema', () => {
    for (const query of [...VALID_CATALOG, ...VALID_OTHER]) {
      expect([query, validate(schema, parse(query)).map((e) => e.message)]).toEqual([query, []]);
    }
  });

  it('recognises a query selecting a catalog field at its root, however it is written', () => {
    for (const query of [
      ...VALID_CATALOG,
      // Not valid GraphQL, but the door only reads up to the first catalog field (GraphQL refuses the rest).
      'query Search($q: String) @cached(ttl: 5) { products(query: $q) { totalCount } }',
      '{ ...F products { totalCount } }',
      `{ viewer: ${ME.replace('me', 'me @include(if: true)')} product(id: "1") { id`,
      '{ products(first: 5) { edges { node { id } } ', // broken after the field: refused all the same
      '{ products(first: 5) { "unterminated',
    ]) {
      expect([query, readsCatalog(query)]).toEqual([query, true]);
    }
    expect(readsCatalog('query Search { products { totalCount } }', 'Search')).toBe(true);
  });

  it('leaves everything else to GraphQL', () => {
    for (const query of [
      ...VALID_OTHER.filter((q) => !q.startsWith('query A')),
      'mutation { products: registerBrand(input: { name: "x" }) { apiKey } }',
      'subscription { products }',
      'fragment F on Query { products { totalCount } } query { ...F }',
      '{ ...F } fragment F on Query { products { totalCount } }',
      `{ ${ME.slice(0, -2)} "unterminated products }`,
      '',
      'products',
    ]) {
      expect([query, readsCatalog(query)]).toEqual([query, false]);
    }
    // A document of several operations: only the first is read, and only when it is the one asked for.
    expect(readsCatalog(`query A { products { totalCount } } query B { ${ME} }`, 'B')).toBe(false);
    expect(readsCatalog('{ products { totalCount } }', 'B')).toBe(false);
  });
});
