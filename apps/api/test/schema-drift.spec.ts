import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { generateSchemaSDL } from '../src/graphql/generate-schema.js';
import { schemaDrift } from '../src/graphql/schema.js';

describe('schema.graphql', () => {
  it('is exactly what the code generates (run `npm run schema` after changing the API)', async () => {
    const committed = await readFile(join(process.cwd(), 'schema.graphql'), 'utf8');
    const generated = await generateSchemaSDL();
    expect(schemaDrift(committed, generated)).toEqual([]);
  });

  it('reports drift when the committed file differs', async () => {
    const generated = await generateSchemaSDL();
    expect(schemaDrift(generated.replace('registerBrand', 'signUpBrand'), generated)).not.toEqual([]);
    expect(schemaDrift(generated + '\ntype Extra { id: ID }\n', generated).join('\n')).toContain('type Extra');
    const lines = generated.trimEnd().split('\n');
    const swapped = [...lines.slice(0, 2), lines[3], lines[2], ...lines.slice(4)].join('\n');
    expect(schemaDrift(swapped, generated)).not.toEqual([]);
  });
});
