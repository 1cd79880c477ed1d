import { DecodingMode, decodeHTML } from 'entities';

// An entity escaped once more ("&amp;nbsp;", "&amp;amp;", "&amp;#8211;") comes from exports that escape text that
// was already escaped: the extra "amp;" is dropped first, so one decode yields the entity it wraps.
const DOUBLE_ESCAPED = /&amp;(?=(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});)/g;

/**
 * Decodes HTML character references (`&amp;`, `&#8211;`, `&#x2019;`) once, with the `entities` package's full
 * HTML table in strict mode: only references closed by ";" count, so "AT&T" and "R&D" stay as written, and
 * unknown names are left alone. `&#150;`-style references map through Windows-1252, as browsers do. An entity
 * escaped twice (`&amp;nbsp;`, `&amp;amp;`) is decoded fully, since the second escape is a mistake of the export.
 */
export function decodeHtmlEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return decodeHTML(text.replace(DOUBLE_ESCAPED, '&'), DecodingMode.Strict);
}
