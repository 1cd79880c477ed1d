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
  /** The value the item holds the attribute with (under keyIn's key), or undefined when it has none. */
  valueIn(item: FeedItemFields): string | string[] | undefined;
  /** Reads and writes `key` (see fieldAccess). */
  readonly field: FieldAccess;
}

type FieldValue = string | string[];

/** Reads and writes one key of items, as `item[key]` and `item[key] = value` would (adding it last when new). */
export interface FieldAccess {
  get(item: FeedItemFields): FieldValue | undefined;
  set(item: FeedItemFields, value: FieldValue): void;
}

/** One access per key rules name (a few per rule set), shared by every compiled rule set of the process. */
const accesses = new Map<string, FieldAccess>();
const MAX_ACCESSES = 1000;
/** Keys a named load or store would not read or add as a plain own property: the prototype's, array indices. */
const NOT_NAMED = /^(?:__proto__|0|[1-9]\d*)$/;
const NEW_KEY: PropertyDescriptor = { value: undefined, writable: true, enumerable: true, configurable: true };

/**
 * The access to `key`: a load and a store under the key's literal name, compiled once per key. An `item[key]` under
 * a computed name is one site for every key the rules name, which V8 serves through its megamorphic cache, where a
 * site per key is a named access whose shapes V8 caches (measured with callgrind, bench's 20 rules over its items:
 * 62,400 → 54,300 instructions an item, the megamorphic loads had been a sixth). A new key added by name also keeps
 * the reader's items in their fast layout (by a computed name, V8 turns an object into a dictionary once it has a
 * dozen keys). "__proto__" and array indices, which a named store would not add as a plain property, are defined.
 */
export function fieldAccess(key: string): FieldAccess {
  let access = accesses.get(key);
  if (access) return access;
  if (NOT_NAMED.test(key) || accesses.size >= MAX_ACCESSES) {
    return {
      get: (item) => (Object.hasOwn(item, key) ? item[key] : undefined),
      set: (item, value) => {
        if (Object.hasOwn(item, key)) item[key] = value;
        else {
          NEW_KEY.value = value;
          Object.defineProperty(item, key, NEW_KEY);
          NEW_KEY.value = undefined;
        }
      },
    };
  }
  // The key is a JSON string literal: data, never code.
  const name = JSON.stringify(key);
  access = {
    get: new Function('item', `return item[${name}];`) as FieldAccess['get'],
    set: new Function('item', 'value', `item[${name}] = value;`) as FieldAccess['set'],
  };
  accesses.set(key, access);
  return access;
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
  const field = fieldAccess(key);
  const get = field.get;
  return { name, key, field, keyIn: (item) => (get(item) === undefined ? undefined : key), valueIn: get };
}

/** A custom column's reference, which tells whether it had to look through an item's keys. */
export interface CustomRef extends AttributeRef {
  /** True once a lookup was not answered by the key as written or last found (see indexKeys). */
  readonly scans: boolean;
}

/** The custom references resolved while `compile` ran (compiling is synchronous). */
export function collectCustomRefs<T>(compile: () => T): { result: T; refs: CustomRef[] } {
  const outer = collecting;
  const refs: CustomRef[] = [];
  collecting = refs;
  try {
    return { result: compile(), refs };
  } finally {
    collecting = outer;
  }
}

let collecting: CustomRef[] | null = null;

/** A custom column: `custom:<header>` as written, else the same header in another case (the last one found is tried first). */
function customRef(name: string, header: string): AttributeRef {
  const key = `${CUSTOM_PREFIX}${header}`;
  const wanted = header.toLowerCase();
  let last = key;
  const ref = {
    name,
    key,
    field: fieldAccess(key),
    scans: false,
    valueIn(item: FeedItemFields) {
      const found = ref.keyIn(item);
      return found === undefined ? undefined : item[found];
    },
    keyIn(item: FeedItemFields) {
      if (item[last] !== undefined) return last;
      if (item[key] !== undefined) return key;
      // Not from a reader (readers prefix custom columns), but a plain map may hold it bare.
      if (Object.hasOwn(item, header)) return header;
      ref.scans = true;
      const found = caselessKey(item, wanted);
      if (found !== undefined) last = found;
      return found;
    },
  };
  collecting?.push(ref);
  return ref;
}

/**
 * The item's custom keys by lower-cased header, built once per item when a custom name is not found as written
 * (an item is a dictionary-mode object, where each for…in collects and sorts its keys). Only one item is indexed at
 * a time; a new apply() drops it, and noteKey() keeps it true as rules add and remove attributes.
 */
let indexed: FeedItemFields | null = null;
let index: Map<string, string> | null = null;

export function forgetKeys(): void {
  indexed = null;
  index = null;
}

/**
 * Keeps the index true when a rule adds or removes `key` on `item`: a custom key drops it, to be built again if a
 * later rule looks for a custom name on the item. Not updated in place: most rule sets that add a custom attribute
 * look for none after it, and the update made a Map and two strings an item.
 */
export function noteKey(item: FeedItemFields, key: string): void {
  if (indexed === item && key.startsWith(CUSTOM_PREFIX)) forgetKeys();
}

/**
 * Indexes the item's custom keys now. apply() calls it first when a custom name had to be looked for on an earlier
 * item: readers build items with the same keys in the same order, which V8 enumerates from a cache, while once a
 * rule added a key the item is a dictionary whose every for…in collects and sorts its keys (measured 0.3 µs
 * against 1.6 µs for a 20-column item).
 */
export function indexKeys(item: FeedItemFields): void {
  if (indexed !== item) caselessKey(item, '');
}

function caselessKey(item: FeedItemFields, wanted: string): string | undefined {
  if (indexed !== item) {
    index = null;
    for (const key in item) {
      if (!key.startsWith(CUSTOM_PREFIX)) continue;
      const header = key.slice(CUSTOM_PREFIX.length).toLowerCase();
      index ??= new Map();
      if (!index.has(header)) index.set(header, key);
    }
    indexed = item;
  }
  return index?.get(wanted);
}

/** A value as rules read it: a list reads as its first value (as the validator reads single attributes). */
export function firstOf(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value[0];
}
