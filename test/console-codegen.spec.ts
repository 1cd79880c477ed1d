import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

/**
 * The console's typed client (apps/console/src/gql) is generated from schema.graphql and the queries in the console's
 * sources, and committed. A change to either without regenerating would leave it stale: this generates afresh into a
 * temp dir with the repo's own codegen (scripts/build-console.mjs generateConsoleTypes) and compares byte for byte.
 */
const root = join(import.meta.dirname, '..');
const FIX =
  'regenerate and commit it: node -e "import(\'./scripts/build-console.mjs\').then((m) => m.generateConsoleTypes())"';

describe('the committed console client (apps/console/src/gql)', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is what codegen makes of schema.graphql and the console sources today', async () => {
    const { generateConsoleTypes, consoleTypesDir } = (await import(join(root, 'scripts', 'build-console.mjs'))) as {
      generateConsoleTypes(outDir?: string): Promise<void>;
      consoleTypesDir: string;
    };
    dir = await mkdtemp(join(tmpdir(), 'console-gql-'));
    await generateConsoleTypes(dir);
    const fresh = (await readdir(dir)).sort();
    const committed = (await readdir(consoleTypesDir)).sort();
    expect({ files: committed, fix: FIX }).toEqual({ files: fresh, fix: FIX });
    for (const name of fresh) {
      const [want, have] = await Promise.all([readFile(join(dir, name)), readFile(join(consoleTypesDir, name))]);
      // Not toEqual on the text: a diff of a 3,000-line file is no help; the file and the command are.
      if (!want.equals(have))
        throw new Error(`apps/console/src/gql/${name} is stale (differs from codegen's output): ${FIX}`);
    }
  }, 60_000);
});
