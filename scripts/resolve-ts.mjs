// Module hooks behind register-ts.mjs: the same options as the build (.swcrc), inline source maps.
import { transform } from '@swc/core';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const libs = new URL('../libs/', import.meta.url);
const options = JSON.parse(readFileSync(new URL('../.swcrc', import.meta.url), 'utf8'));
delete options.$schema;

export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@brandshelf/')) {
    const lib = specifier.slice('@brandshelf/'.length);
    return { url: new URL(`${lib}/src/index.ts`, libs).href, shortCircuit: true };
  }
  // TypeScript sources import each other as `./x.js`.
  if (context.parentURL?.endsWith('.ts') && /^\.\.?\//.test(specifier) && specifier.endsWith('.js')) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const filename = fileURLToPath(url);
  const { code } = await transform(await readFile(filename, 'utf8'), {
    ...options,
    filename,
    sourceMaps: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
