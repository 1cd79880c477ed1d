const dist = new URL('../dist/libs/', import.meta.url);

export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@brandshelf/')) {
    const lib = specifier.slice('@brandshelf/'.length);
    return next(new URL(`${lib}/src/index.js`, dist).href, context);
  }
  return next(specifier, context);
}
