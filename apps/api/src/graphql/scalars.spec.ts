import { describe, expect, it } from '@jest/globals';
import { GraphQLError, Kind } from 'graphql';
import { GraphQLBigInt } from './scalars.js';

describe('BigInt scalar', () => {
  it('serializes counts past 2^31 and 2^53 exactly, as decimal strings', () => {
    expect(GraphQLBigInt.serialize(0)).toBe('0');
    expect(GraphQLBigInt.serialize(2 ** 31)).toBe('2147483648');
    expect(GraphQLBigInt.serialize(10 * 1024 ** 3)).toBe('10737418240');
    expect(GraphQLBigInt.serialize(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    expect(GraphQLBigInt.serialize(2n ** 64n + 1n)).toBe('18446744073709551617');
    // pg returns bigint columns as strings: they pass through untouched.
    expect(GraphQLBigInt.serialize('9223372036854775807')).toBe('9223372036854775807');
  });

  it('refuses to serialize what is not an exact integer rather than round it', () => {
    for (const bad of [1.5, 2 ** 53 + 2, Number.NaN, Infinity, '1.0', '1e9', 'abc', null, {}]) {
      expect(() => GraphQLBigInt.serialize(bad)).toThrow(GraphQLError);
    }
  });

  it('parses the same strings (and Int literals) as input', () => {
    expect(GraphQLBigInt.parseValue('3221225472')).toBe('3221225472');
    expect(GraphQLBigInt.parseLiteral({ kind: Kind.STRING, value: '3221225472' })).toBe('3221225472');
    expect(GraphQLBigInt.parseLiteral({ kind: Kind.INT, value: '3221225472' })).toBe('3221225472');
    expect(() => GraphQLBigInt.parseLiteral({ kind: Kind.FLOAT, value: '1.5' })).toThrow(GraphQLError);
    expect(() => GraphQLBigInt.parseValue('-')).toThrow(GraphQLError);
  });
});
