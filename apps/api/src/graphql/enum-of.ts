/**
 * A GraphQL enum object ({ VALUE: 'VALUE' }) from the list a library defines its values in, so each enum is
 * defined once: the library's type, the stored value and the schema's enum all come from that list.
 */
export function enumOf<V extends string>(values: readonly V[]): { readonly [K in V]: K } {
  return Object.freeze(Object.fromEntries(values.map((value) => [value, value]))) as { readonly [K in V]: K };
}
