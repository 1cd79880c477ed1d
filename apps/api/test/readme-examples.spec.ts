import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from '@jest/globals';

/** The README's GraphQL examples are what people paste first: they must run against the schema. */
describe('README GraphQL examples', () => {
  const schema = buildSchema(readFileSync(join(process.cwd(), 'schema.graphql'), 'utf8'));
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const operations = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].split(/\n(?=mutation|query|\{)/))
    .map((text) => text.replace(/#.*$/gm, '').trim())
    .filter(Boolean);

  it('has examples', () => {
    expect(operations.length).toBeGreaterThanOrEqual(4);
  });

  it.each(operations.map((op) => [op.slice(0, 60), op]))('%s… is valid', (_title, operation) => {
    expect(validate(schema, parse(operation)).map((e) => e.message)).toEqual([]);
  });
});
