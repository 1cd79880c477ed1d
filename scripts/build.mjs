// Compiles apps/, libs/ and bench/ to dist/ with swc: about a second for the whole tree,
// where tsc takes tens of seconds. Type checking is `npm run typecheck` (tsc --noEmit).
// Then builds the web console (apps/console) with Vite into dist/console, unless given --no-console.
import { transformFile } from '@swc/core';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = JSON.parse(await readFile(join(root, '.swcrc'), 'utf8'));
delete options.$schema;

async function* sources(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === '__fixtures__') continue;
      // The web console is a browser bundle: Vite builds it below, into dist/console.
      if (path === join(root, 'apps', 'console')) continue;
      yield* sources(path);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) {
      yield path;
    }
  }
}

// `@brandshelf/<lib>` becomes the relative path of dist/libs/<lib>/src/index.js, so compiled code runs with no
// module hooks: `--import ./scripts/register.mjs` would start node's hooks thread, a whole V8 isolate (about 20 MB
// of the serving process's memory, see README: Benchmarks) for a resolution known at build time.
const libSpecifier = /(['"])@brandshelf\/([a-z0-9-]+)\1/g;
const withRelativeLibs = (code, out) =>
  code.replace(libSpecifier, (_, quote, lib) => {
    const path = relative(dirname(out), join(root, 'dist', 'libs', lib, 'src', 'index.js'));
    return `${quote}${path.startsWith('.') ? path : `./${path}`}${quote}`;
  });

const jobs = [];
for (const top of ['apps', 'libs', 'bench']) {
  for await (const file of sources(join(root, top))) {
    jobs.push(
      (async () => {
        const rel = relative(root, file);
        const out = join(root, 'dist', rel.replace(/\.ts$/, '.js'));
        const result = await transformFile(file, {
          ...options,
          filename: file,
          sourceFileName: relative(dirname(out), file),
        });
        await mkdir(dirname(out), { recursive: true });
        const code = withRelativeLibs(result.code, out);
        await writeFile(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
        if (result.map) await writeFile(`${out}.map`, result.map);
      })(),
    );
  }
}
await Promise.all(jobs);

// The web console (apps/console): typed documents from schema.graphql, then Vite, into dist/console (README: Console).
// `--no-console` compiles the server only, for tests that start its processes (libs/testing buildDist, the CLI's
// e2e): a console rebuilt from a test replaced dist/console while the browser test was using it, emptied (its
// index.html pointing at assets gone: the sign-in page never rendered) or as React's development build (jest's
// NODE_ENV=test: StrictMode ran each page's effects twice, so the console asked for its data twice).
if (!process.argv.includes('--no-console')) {
  const { buildConsole } = await import('./build-console.mjs');
  await buildConsole({ quiet: true });
}
