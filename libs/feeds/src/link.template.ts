import { CUSTOM_PREFIX } from '@brandshelf/catalog-rules';
import type { ItemFields } from './item-fields.builder.js';

/** What a dialect knows about an item's product page beyond its fields: the handle/slug, the shop's product id. */
export type LinkParts = Partial<Record<'handle' | 'product_id', string>>;

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * Builds `link` for items that have none, from the feed's `linkTemplate` (else the dialect's default) and
 * `storeUrl`. `{store}` is the store URL as set; every other placeholder is URL-encoded: `{handle}` and
 * `{product_id}` from the dialect, else any field of the item (`{id}`, `{item_group_id}`, a custom column by
 * its header). A template that needs a value the item lacks builds nothing, so the item keeps its
 * MISSING_REQUIRED link with the hint naming the settings.
 */
export class LinkBuilder {
  private constructor(
    private readonly template: string,
    private readonly storeUrl: string | null,
  ) {}

  /**
   * Null when no link can be built: no template at all, or one that needs `{store}` with no storeUrl set. A
   * template without `{store}` is used only when it is an absolute http(s) URL.
   */
  static create(
    settings: { storeUrl?: string | null; linkTemplate?: string | null },
    dialectDefault: string | null,
  ): LinkBuilder | null {
    const template = settings.linkTemplate?.trim() || dialectDefault;
    if (!template) return null;
    const storeUrl = settings.storeUrl?.trim().replace(/\/+$/, '') || null;
    if (template.includes('{store}')) return storeUrl ? new LinkBuilder(template, storeUrl) : null;
    return /^https?:\/\//i.test(template) ? new LinkBuilder(template, storeUrl) : null;
  }

  /** Sets `fields.link` when it is empty and every placeholder has a value. */
  fill(fields: ItemFields, parts: LinkParts = {}): void {
    const existing = fields.link;
    if (typeof existing === 'string' ? existing.trim() : existing?.some((value) => value.trim())) return;
    let complete = true;
    const link = this.template.replace(PLACEHOLDER, (_, name: string) => {
      if (name === 'store') return this.storeUrl ?? '';
      const value = lookup(name.trim(), fields, parts);
      if (!value) complete = false;
      return encodeURIComponent(value);
    });
    if (complete) fields.link = link;
  }
}

function lookup(name: string, fields: ItemFields, parts: LinkParts): string {
  const part = parts[name as keyof LinkParts];
  if (part) return part;
  const value = fields[name] ?? fields[`${CUSTOM_PREFIX}${name}`] ?? caseless(name, fields);
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

function caseless(name: string, fields: ItemFields): string | string[] | undefined {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(fields)) {
    const bare = key.startsWith(CUSTOM_PREFIX) ? key.slice(CUSTOM_PREFIX.length) : key;
    if (bare.toLowerCase() === wanted) return fields[key];
  }
  return undefined;
}
