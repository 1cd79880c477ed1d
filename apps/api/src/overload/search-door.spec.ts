import { describe, expect, it } from '@jest/globals';
import { readsCatalog } from './search-door.js';

describe('readsCatalog (the door: a few lexer tokens, no parse)', () => {
  it('recognises a query selecting a catalog field at its root, however it is written', () => {
    for (const query of [
      '{ products(first: 5) { edges { node { id } } } }',
      'query { brands { id } }',
      'query Search($q: String, $f: ProductFilter = { price: { min: 1 } }) @cached(ttl: 5) { products(query: $q, filter: $f) { totalCount } }',
      '# a comment { me }\n{ hits: products(query: "a } ( {") { totalCount } }',
      '{ me { kind } __typename x: product(id: "1") { id } }',
      '{ ...F products { totalCount } }',
      '{ ... on Query @skip(if: false) { me { kind } } brands { id } }',
      '{ viewer: me @include(if: true) { kind } product(id: "1") { id',
      '{ products(first: 5) { edges { node { id } } ', // broken after the field: refused all the same
      '{ products(first: 5) { "unterminated',
    ]) {
      expect([query, readsCatalog(query)]).toEqual([query, true]);
    }
    expect(readsCatalog('query Search { products { totalCount } }', 'Search')).toBe(true);
  });

  it('leaves everything else to GraphQL', () => {
    for (const query of [
      '{ me { kind } }',
      '{ __typename }',
      '{ me { products: kind } }', // a nested field by that name is not a root field
      'mutation { products: registerBrand(input: {}) { apiKey } }',
      'subscription { products }',
      'fragment F on Query { products { totalCount } } query { ...F }',
      '{ ...F } fragment F on Query { products { totalCount } }',
      '{ ... on Query { products { totalCount } } }',
      '{ me { kind } "unterminated products }',
      '',
      'products',
    ]) {
      expect([query, readsCatalog(query)]).toEqual([query, false]);
    }
    // A document of several operations: only the first is read, and only when it is the one asked for.
    expect(readsCatalog('query A { products { totalCount } } query B { me { kind } }', 'B')).toBe(false);
    expect(readsCatalog('{ products { totalCount } }', 'B')).toBe(false);
  });
});
