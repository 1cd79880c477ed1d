import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSchemaSDL } from './graphql/generate-schema.js';

const target = join(process.cwd(), 'schema.graphql');
await writeFile(target, await generateSchemaSDL());
process.stdout.write(`wrote ${target}\n`);
