import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';
import { generateSchemaSDL } from '../src/graphql/generate-schema.js';
import { printSortedSchema } from '../src/graphql/schema.js';

/**
 * Issue 11: every type, field, argument, input field and enum value of the API carries a description, so the
 * schema (GraphiQL's docs, schema.graphql) explains itself. graphql-js describes its own introspection types and
 * built-in scalars (String, Int, Float, Boolean, ID) and directives; everything else is ours to describe.
 */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (path: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(path);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  for (const directive of schema.getDirectives()) {
    if (isSpecifiedDirective(directive)) continue;
    check(`@${directive.name}`, directive.description);
    for (const arg of directive.args) check(`@${directive.name}(${arg.name})`, arg.description);
  }
  return missing.sort();
}

describe('schema descriptions', () => {
  it('describe every type, field, argument, input field and enum value the code generates', async () => {
    expect(undescribed(buildSchema(await generateSchemaSDL()))).toEqual([]);
  });

  it('are in the committed schema.graphql', async () => {
    const committed = await readFile(join(process.cwd(), 'schema.graphql'), 'utf8');
    expect(undescribed(buildSchema(committed))).toEqual([]);
  });

  describe('served by the running API', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(createApi);
    }, 180_000);
    afterAll(() => api?.close(), 120_000);

    it('are all there for GraphiQL, which reads them by introspection, and match schema.graphql', async () => {
      const served = buildClientSchema(await api.gqlOk<IntrospectionQuery>(getIntrospectionQuery()));
      expect(undescribed(served)).toEqual([]);
      const committed = await readFile(join(process.cwd(), 'schema.graphql'), 'utf8');
      expect(printSortedSchema(served)).toBe(committed);
    }, 120_000);
  });

  it('are reported missing wherever one is left out', () => {
    const sdl = `
      """Described."""
      type Query {
        """Described."""
        ok(
          """Described."""
          a: Int
        ): Int
        bare(b: String): Thing
      }
      type Thing { x: Int }
      """Described."""
      input In { y: Int, """ """ z: Int }
      """Described."""
      enum E { """Described.""" A, B }
      scalar Custom
      """Described."""
      directive @tag(name: String) on FIELD_DEFINITION
      """Described."""
      type Mutation { """Described.""" m(i: In, c: Custom, e: E): Int }
    `;
    expect(undescribed(buildSchema(sdl))).toEqual([
      '@tag(name)',
      'Custom',
      'E.B',
      'In.y',
      'In.z',
      'Mutation.m(c)',
      'Mutation.m(e)',
      'Mutation.m(i)',
      'Query.bare',
      'Query.bare(b)',
      'Thing',
      'Thing.x',
    ]);
  });
});
