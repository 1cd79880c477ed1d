import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';
import { generateSchemaSDL } from '../src/graphql/generate-schema.js';

/**
 * Issue 11: every mutation takes one non-null `input` (an input object) and answers a payload object whose
 * `userErrors: [UserError!]!` carries the expected failures; the payload's other fields are nullable, since they are
 * null whenever userErrors is not empty. Future mutations (affiliate, ads) are held to the same shape by this test.
 */
function offContract(schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  const mutation = schema.getMutationType();
  if (!mutation) return problems;
  for (const field of Object.values(mutation.getFields())) {
    const name = `Mutation.${field.name}`;
    const [input, ...others] = field.args;
    if (!input || others.length || input.name !== 'input') {
      problems.push(`${name}: takes (${field.args.map((a) => a.name).join(', ')}), not exactly (input)`);
    } else if (!isNonNullType(input.type) || !isInputObjectType(input.type.ofType)) {
      problems.push(`${name}: input is ${String(input.type)}, not a non-null input object`);
    }
    if (!isNonNullType(field.type) || !isObjectType(field.type.ofType)) {
      problems.push(`${name}: answers ${String(field.type)}, not a non-null payload object`);
      continue;
    }
    const payload = field.type.ofType;
    const fields = payload.getFields();
    const userErrors = fields.userErrors?.type;
    const wellTyped =
      userErrors &&
      isNonNullType(userErrors) &&
      isListType(userErrors.ofType) &&
      isNonNullType(userErrors.ofType.ofType) &&
      getNamedType(userErrors).name === 'UserError';
    if (!wellTyped) problems.push(`${name}: ${payload.name} has no userErrors: [UserError!]!`);
    for (const other of Object.values(fields)) {
      if (other.name !== 'userErrors' && isNonNullType(other.type)) {
        problems.push(`${name}: ${payload.name}.${other.name} is non-null, so it cannot be null on a userError`);
      }
    }
  }
  return problems.sort();
}

describe('mutation payloads', () => {
  it('every mutation the code generates takes one input and answers a payload with userErrors', async () => {
    const schema = buildSchema(await generateSchemaSDL());
    expect(Object.keys(schema.getMutationType()?.getFields() ?? {}).length).toBeGreaterThan(0);
    expect(offContract(schema)).toEqual([]);
  });

  it('and so does every mutation of the committed schema.graphql', async () => {
    const committed = await readFile(join(process.cwd(), 'schema.graphql'), 'utf8');
    expect(offContract(buildSchema(committed))).toEqual([]);
  });

  it('are reported wherever a mutation leaves the contract', () => {
    const sdl = `
      type Query { ok: Int }
      enum UserErrorCode { BAD_USER_INPUT }
      type UserError { code: UserErrorCode! message: String! field: [String!] }
      input In { x: Int }
      type Thing { id: ID! }
      type GoodPayload { thing: Thing, userErrors: [UserError!]! }
      type NullableErrorsPayload { thing: Thing, userErrors: [UserError!] }
      type NoErrorsPayload { thing: Thing }
      type StrictPayload { thing: Thing!, userErrors: [UserError!]! }
      type Mutation {
        good(input: In!): GoodPayload!
        twoArgs(id: ID!, input: In!): GoodPayload!
        noArgs: GoodPayload!
        misnamed(data: In!): GoodPayload!
        nullableInput(input: In): GoodPayload!
        scalarInput(input: ID!): GoodPayload!
        bare(input: In!): Thing!
        nullablePayload(input: In!): GoodPayload
        nullableErrors(input: In!): NullableErrorsPayload!
        noErrors(input: In!): NoErrorsPayload!
        strict(input: In!): StrictPayload!
      }
    `;
    expect(offContract(buildSchema(sdl))).toEqual([
      'Mutation.bare: Thing has no userErrors: [UserError!]!',
      'Mutation.bare: Thing.id is non-null, so it cannot be null on a userError',
      'Mutation.misnamed: takes (data), not exactly (input)',
      'Mutation.noArgs: takes (), not exactly (input)',
      'Mutation.noErrors: NoErrorsPayload has no userErrors: [UserError!]!',
      'Mutation.nullableErrors: NullableErrorsPayload has no userErrors: [UserError!]!',
      'Mutation.nullableInput: input is In, not a non-null input object',
      'Mutation.nullablePayload: answers GoodPayload, not a non-null payload object',
      'Mutation.scalarInput: input is ID!, not a non-null input object',
      'Mutation.strict: StrictPayload.thing is non-null, so it cannot be null on a userError',
      'Mutation.twoArgs: takes (id, input), not exactly (input)',
    ]);
  });
});
