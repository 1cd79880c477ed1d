import { Parser } from 'htmlparser2';
import { decodeHtmlEntities } from './html-entity.decoder.js';
import { collapseWhitespace } from './text.normalizer.js';

// Cheap test whether there is markup at all.
const HAS_TAG = /<[a-zA-Z/!?]/;
// A run of "<" before a tag's first character goes whole: dropping only the last would leave one that starts a tag.
const TAG_STARTS = /<+(?=[a-zA-Z/!?])/g;
const MAX_MARKUP_PASSES = 3;

// Elements whose content is never text.
const DROPPED_TAGS = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'iframe', 'object']);
// Block tags separate paragraphs; list items, rows and <br> start a new line; cells and images separate words.
// prettier-ignore
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'figcaption', 'figure', 'footer', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody',
  'tfoot', 'thead', 'ul',
]);
const LINE_TAGS = new Set(['br', 'li', 'tr', 'dt', 'dd']);
const SPACE_TAGS = new Set(['td', 'th', 'caption', 'img', 'input', 'option']);

/**
 * Markup to text with a real HTML tokenizer (htmlparser2), so a ">" inside an attribute (`<img alt="5 > 3">`) or a
 * comment never ends a tag early. Entities are left for `decodeHtmlEntities`, which decodes them once, strictly.
 */
function markupToText(html: string): string {
  let text = '';
  let dropped = 0;
  const separator = (name: string, opening: boolean): string => {
    if (BLOCK_TAGS.has(name)) return '\n\n';
    // Only the opening tag: "</li><li>" is one line break, not a blank line.
    if (LINE_TAGS.has(name)) return opening ? '\n' : '';
    if (SPACE_TAGS.has(name)) return ' ';
    return '';
  };
  const parser = new Parser(
    {
      onopentagname(name) {
        if (DROPPED_TAGS.has(name)) dropped++;
        else if (dropped === 0) text += separator(name, true);
      },
      onclosetag(name, isImplied) {
        if (DROPPED_TAGS.has(name)) dropped = Math.max(0, dropped - 1);
        else if (dropped === 0 && !(isImplied && LINE_TAGS.has(name))) text += separator(name, false);
      },
      ontext(data) {
        if (dropped === 0) text += data;
      },
      oncdatastart() {
        // CDATA content arrives through ontext.
      },
    },
    { decodeEntities: false, recognizeCDATA: true, lowerCaseTags: true },
  );
  parser.end(html);
  return text;
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
  let text = HAS_TAG.test(html) ? markupToText(html) : html;
  text = decodeHtmlEntities(text);
  // Markup can still show once decoded: exports that escape their HTML ("&lt;p&gt;Soft cotton&lt;/p&gt;", "&#60;p&#62;",
  // even "&amp;lt;p&amp;gt;") and HTML wrapped in CDATA. The decoded text is text, so its entities are not decoded a
  // second time. A few passes unwrap CDATA inside CDATA; past them (only crafted input gets there) a "<" that would
  // still start a tag is dropped, so no pass count lets markup through and no nesting depth costs more passes.
  for (let pass = 0; pass < MAX_MARKUP_PASSES && HAS_TAG.test(text); pass++) text = markupToText(text);
  return HAS_TAG.test(text) ? text.replace(TAG_STARTS, '') : text;
}
