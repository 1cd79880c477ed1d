import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const INTEGER = /^-?(0|[1-9]\d*)$/;

function toBigIntString(value: unknown, where: string): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    // A JavaScript number is exact only up to 2^53 − 1; past that its digits are not the count any more.
    if (!Number.isSafeInteger(value)) throw new GraphQLError(`BigInt ${where}: ${value} is not an exact integer.`);
    return String(value);
  }
  if (typeof value === 'string' && INTEGER.test(value)) return value;
  throw new GraphQLError(`BigInt ${where}: expected an integer as a decimal string, got ${JSON.stringify(value)}.`);
}

/**
 * Integers that can pass 2^31 (GraphQL's Int) and 2^53 (a JSON number read by JavaScript): byte counts.
 * Always a decimal string on the wire, so no client rounds it through a double.
 */
export const GraphQLBigInt = new GraphQLScalarType<string, string>({
  name: 'BigInt',
  description:
    'A whole number that can pass 2^31 (and 2^53), written as a decimal string ("3221225472") so it stays exact ' +
    'in every JSON parser. Used for byte counts. Input takes the same string (or an Int literal).',
  serialize: (value) => toBigIntString(value, 'output'),
  parseValue: (value) => toBigIntString(value, 'input'),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return toBigIntString(ast.value, 'input');
    throw new GraphQLError('BigInt input: expected an integer as a decimal string.', { nodes: ast });
  },
});
