import { decodeHtmlEntities } from './html-entity.decoder.js';
import { collapseWhitespace } from './text.normalizer.js';

// One pass over the markup: comments, elements whose content is never text, CDATA, and any other tag.
const MARKUP =
  /<!--[\s\S]*?(?:-->|$)|<(script|style|noscript|template|head|svg|iframe|object)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)|<!\[CDATA\[([\s\S]*?)\]\]>|<\/?([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>|<![^>]*>|<\?[^>]*>/g;
// Cheap test whether there is markup at all.
const HAS_TAG = /<[a-zA-Z/!?]/;

// Block tags separate paragraphs; list items, rows and <br> start a new line; cells and images separate words.
// prettier-ignore
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'figcaption', 'figure', 'footer', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody',
  'tfoot', 'thead', 'ul',
]);
const LINE_TAGS = new Set(['br', 'li', 'tr', 'dt', 'dd']);
const SPACE_TAGS = new Set(['td', 'th', 'caption', 'img', 'input', 'option']);

function replaceMarkup(
  match: string,
  _dropped: string | undefined,
  cdata: string | undefined,
  tag: string | undefined,
): string {
  if (cdata !== undefined) return cdata;
  if (tag === undefined) return ''; // comment, script/style block, doctype, processing instruction
  const name = tag.toLowerCase();
  if (BLOCK_TAGS.has(name)) return '\n\n';
  // Only the opening tag: "</li><li>" is one line break, not a blank line.
  if (LINE_TAGS.has(name)) return match[1] === '/' ? '' : '\n';
  if (SPACE_TAGS.has(name)) return ' ';
  return '';
}

/**
 * HTML to plain text: scripts, styles and comments dropped, paragraph tags become blank lines, cells and images
 * spaces, list items and <br> line breaks, inline tags vanish (so "Sup<b>er</b>" stays one word), entities are
 * decoded once, whitespace is collapsed keeping paragraph breaks.
 */
export function stripHtml(html: string): string {
  return collapseWhitespace(htmlToText(html), true);
}

/** `stripHtml` without the whitespace pass, for callers that collapse whitespace themselves. */
export function htmlToText(html: string): string {
  let text = HAS_TAG.test(html) ? html.replace(MARKUP, replaceMarkup) : html;
  text = decodeHtmlEntities(text);
  // Exports that escape their HTML ("&lt;p&gt;Soft cotton&lt;/p&gt;", even "&amp;lt;p&amp;gt;") only show their tags
  // once decoded.
  if (html.includes('lt;') && HAS_TAG.test(text)) text = text.replace(MARKUP, replaceMarkup);
  return text;
}
