import { ATTRIBUTE_BY_NAME, CUSTOM_PREFIX, resolveHeader } from '@brandshelf/catalog-rules';

export type ItemFields = Record<string, string | string[]>;

/** `single`: one value, first wins; `list`: repeated attribute; `custom`: a second value turns it into a list. */
export type FieldMode = 'single' | 'list' | 'custom';

export function fieldMode(attribute: string): FieldMode {
  if (attribute.startsWith(CUSTOM_PREFIX)) return 'custom';
  return ATTRIBUTE_BY_NAME.get(attribute)?.repeated ? 'list' : 'single';
}

/** Google takes several image URLs in one cell separated by commas; URLs may hold commas themselves (Cloudinary), so split only before a scheme. */
export function splitUrlList(value: string): string[] {
  return value
    .split(/\s*,\s*(?=https?:\/\/)/i)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * Adds a value (trimmed; empty values are skipped). A second value for a single-valued attribute is
 * not stored and `false` comes back, except a second `image_link`, which becomes an additional image.
 */
export function addField(fields: ItemFields, attribute: string, raw: string, mode = fieldMode(attribute)): boolean {
  const value = raw.trim();
  if (value.length === 0) return true;
  if (mode === 'single') {
    if (fields[attribute] === undefined) {
      fields[attribute] = value;
      return true;
    }
    if (attribute === 'image_link') return addField(fields, 'additional_image_link', value, 'list');
    return false;
  }
  const prev = fields[attribute];
  if (mode === 'list') {
    const parts = ATTRIBUTE_BY_NAME.get(attribute)?.kind === 'url-list' ? splitUrlList(value) : [value];
    if (Array.isArray(prev)) prev.push(...parts);
    else fields[attribute] = prev === undefined ? parts : [prev, ...parts];
    return true;
  }
  if (prev === undefined) fields[attribute] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else fields[attribute] = [prev, value];
  return true;
}

/** Image URLs in order without repeats: the first is `image_link`, the rest additional. */
export function addImages(fields: ItemFields, urls: readonly string[]): void {
  const seen = new Set<string>();
  for (const raw of urls) {
    const url = raw.trim();
    if (!url || seen.has(url)) continue;
    seen.add(url);
    addField(fields, seen.size === 1 ? 'image_link' : 'additional_image_link', url);
  }
}

/** A `columnMapping` target as an attribute: canonical names and `custom:` pass, aliases resolve, null/empty means ignore. */
export function mappingTarget(target: string | null | undefined): string | null {
  const t = target?.trim();
  if (!t) return null;
  if (t.startsWith(CUSTOM_PREFIX) || ATTRIBUTE_BY_NAME.has(t)) return t;
  return resolveHeader(t)?.name ?? `${CUSTOM_PREFIX}${t}`;
}

/** Looks a header up in a `columnMapping`: exact key first, then ignoring case and surrounding blanks. */
export function mappingFor(
  mapping: Record<string, string> | null | undefined,
  header: string,
): { target: string | null } | null {
  if (!mapping) return null;
  if (Object.prototype.hasOwnProperty.call(mapping, header)) return { target: mappingTarget(mapping[header]) };
  const wanted = header.trim().toLowerCase();
  for (const key of Object.keys(mapping)) {
    if (key.trim().toLowerCase() === wanted) return { target: mappingTarget(mapping[key]) };
  }
  return null;
}
