// Builds the web console (apps/console, README: Console) into dist/console: the typed GraphQL documents are
// generated from the committed schema.graphql (graphql-codegen's client preset, into apps/console/src/gql), then
// Vite bundles the app. `npm run build` runs this after compiling the server; so do `npm start` and the browser tests.
import { generate } from '@graphql-codegen/cli';
import { preset as clientPreset } from '@graphql-codegen/client-preset';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readFile, readdir, stat } from 'node:fs/promises';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(root, 'apps', 'console');
export const consoleOutDir = join(root, 'dist', 'console');

/** Where the generated client is committed (apps/console/src/gql). */
export const consoleTypesDir = join(app, 'src', 'gql');

/**
 * The typed documents: one TypedDocumentString per operation, no GraphQL runtime in the bundle. Into `outDir`
 * (default: the committed apps/console/src/gql; test/console-codegen.spec.ts generates into a temp dir and compares).
 */
export async function generateConsoleTypes(outDir = consoleTypesDir) {
  await generate(
    {
      schema: join(root, 'schema.graphql'),
      documents: [join(app, 'src/**/*.tsx'), join(app, 'src/**/*.ts'), `!${join(app, 'src/gql/**')}`],
      ignoreNoDocuments: false,
      silent: true,
      generates: {
        [`${outDir}/`]: {
          preset: clientPreset,
          presetConfig: { fragmentMasking: false },
          config: {
            documentMode: 'string',
            enumsAsTypes: true,
            useTypeImports: true,
            scalars: { BigInt: 'string', DateTime: 'string', JSON: 'unknown' },
          },
        },
      },
    },
    true,
  );
}

/** The committed generated code is current when it is newer than schema.graphql and every console source. */
async function typesAreCurrent() {
  const generated = await stat(join(app, 'src/gql/graphql.ts')).catch(() => null);
  if (!generated) return false;
  const inputs = [join(root, 'schema.graphql')];
  const walk = async (dir) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'gql') await walk(path);
      } else if (/\.tsx?$/.test(entry.name)) inputs.push(path);
    }
  };
  await walk(join(app, 'src'));
  for (const input of inputs) if ((await stat(input)).mtimeMs > generated.mtimeMs) return false;
  return true;
}

const ciRun = () => !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

export async function buildConsole({ quiet = false } = {}) {
  // Generating takes seconds (most of it loading graphql-codegen): skipped when nothing it reads has changed. In CI
  // (CI set) the committed client is used as it is: regenerating it in place there would hide a stale commit from
  // test/console-codegen.spec.ts, which fails when the committed files differ from a fresh generation.
  if (!ciRun() && !(await typesAreCurrent())) await generateConsoleTypes();
  const { build } = await import('vite');
  await build({ configFile: join(app, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  const figures = await firstLoadSize();
  if (!quiet) {
    console.log(
      `console: first load ${(figures.gzip / 1024).toFixed(1)} KB gzip (${(figures.raw / 1024).toFixed(1)} KB raw) in ${figures.files} files`,
    );
  }
  return figures;
}

/** What a browser downloads to show the first page: index.html and the scripts and styles it links, gzipped. */
export async function firstLoadSize() {
  const html = await readFile(join(consoleOutDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  let gzip = gzipSync(html, { level: 9 }).length;
  let raw = Buffer.byteLength(html);
  for (const ref of refs) {
    const body = await readFile(join(consoleOutDir, ref));
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  const all = await readdir(join(consoleOutDir, 'assets'));
  return { gzip, raw, files: refs.length + 1, assets: all.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildConsole();
