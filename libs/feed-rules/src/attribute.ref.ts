import { ATTRIBUTE_BY_NAME, CUSTOM_PREFIX, resolveHeader } from '@brandshelf/catalog-rules';
import type { FeedItemFields } from './feed-rule.types.js';

/**
 * An attribute a rule names, resolved once at compile time to how items hold it. Names resolve as feed headers
 * do: a Merchant Center name or any of its aliases and `g:` forms (`title`, `Colour` → `color`); `custom:<header>`
 * for a custom column; any other name is a custom column by its header, matched regardless of case (`handle`
 * finds a Shopify export's `custom:Handle`).
 */
export interface AttributeRef {
  /** The name as the rule wrote it. */
  readonly name: string;
  /** The key written when the item does not have the attribute yet. */
  readonly key: string;
  /** The key the item holds the attribute under, or undefined when it has none. */
  keyIn(item: FeedItemFields): string | undefined;
}

export function resolveAttribute(name: string): AttributeRef {
  const trimmed = name.trim();
  if (ATTRIBUTE_BY_NAME.has(trimmed)) return exactRef(trimmed, trimmed);
  if (trimmed.toLowerCase().startsWith(CUSTOM_PREFIX)) {
    return customRef(trimmed, trimmed.slice(CUSTOM_PREFIX.length));
  }
  const spec = resolveHeader(trimmed);
  if (spec) return exactRef(trimmed, spec.name);
  return customRef(trimmed, trimmed);
}

function exactRef(name: string, key: string): AttributeRef {
  return { name, key, keyIn: (item) => (item[key] === undefined ? undefined : key) };
}

/** A custom column: `custom:<header>` as written, else the same header in another case (the last one found is tried first). */
function customRef(name: string, header: string): AttributeRef {
  const key = `${CUSTOM_PREFIX}${header}`;
  const wanted = header.toLowerCase();
  let last = key;
  return {
    name,
    key,
    keyIn(item) {
      if (item[last] !== undefined) return last;
      if (item[key] !== undefined) return key;
      // Not from a reader (readers prefix custom columns), but a plain map may hold it bare.
      if (Object.hasOwn(item, header)) return header;
      for (const candidate in item) {
        if (
          candidate.length === wanted.length + CUSTOM_PREFIX.length &&
          candidate.startsWith(CUSTOM_PREFIX) &&
          candidate.slice(CUSTOM_PREFIX.length).toLowerCase() === wanted
        ) {
          last = candidate;
          return candidate;
        }
      }
      return undefined;
    },
  };
}

/** A value as rules read it: a list reads as its first value (as the validator reads single attributes). */
export function firstOf(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value[0];
}
