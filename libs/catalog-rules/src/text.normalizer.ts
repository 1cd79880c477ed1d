import { decodeHtmlEntities } from './html-entity.decoder.js';

export interface CleanedText {
  text: string;
  /** How many control, non-character or broken-surrogate characters were removed. */
  removed: number;
}

// Anything outside printable ASCII, an entity, or spaces to collapse sends a value down the slow path; most
// values of most feeds take the fast one and come back as the same string.
const NEEDS_WORK_LINE = /[^\x20-\x7E]|^ | $| {2}|&[#a-zA-Z]/;
const NON_ASCII = /[^\x00-\x7F]/;
// Invisible format characters that only get in the way: zero-width space, word joiner, BOM, soft hyphen.
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD]/g;
// C0/C1 controls other than whitespace, U+FFFD (an earlier decode failed), non-characters, lone surrogates.
const INVALID =
  /[\x00-\x08\x0E-\x1F\x7F-\x9F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const INVALID_TEST = new RegExp(INVALID.source);
const INVISIBLE_TEST = new RegExp(INVISIBLE.source);
// Only whitespace that needs changing: runs of 2+, or any whitespace other than a plain space (tab, NBSP, …).
const LINE_WHITESPACE = /\s*[^\S ]\s*|\s{2,}/g;
// The same for multi-line text, where a run holding line breaks becomes one break or one blank line.
const TEXT_WHITESPACE = /\s*\n\s*|[^\S\n]*[^\S \n][^\S\n]*| {2,}/g;
const LOWERCASE_ASCII = /[a-z]/;
const LOWERCASE = /\p{Ll}/u;
const UPPERCASE = /\p{Lu}/gu;
const WHITESPACE_CHAR = /\s/;
// Separators a cut can leave dangling: "Red shirt –" reads better as "Red shirt".
const TRAILING_JOINERS = /[\s,;:\-–—/|]+$/;

/**
 * Collapses whitespace (NBSP and other Unicode spaces included) and trims. `multiline` keeps line breaks, at most
 * one blank line in a row, for descriptions; otherwise every run of whitespace becomes one space.
 */
export function collapseWhitespace(text: string, multiline = false): string {
  return multiline ? text.replace(TEXT_WHITESPACE, collapseRun).trim() : text.replace(LINE_WHITESPACE, ' ').trim();
}

function collapseRun(run: string): string {
  const first = run.indexOf('\n');
  if (first < 0) return ' ';
  return run.indexOf('\n', first + 1) < 0 ? '\n' : '\n\n';
}

/**
 * Entities decoded (unless the caller already did, as `stripHtml` does), Unicode NFC, invisible and invalid
 * characters removed, whitespace collapsed.
 */
export function cleanText(raw: string, multiline = false, decodeEntities = true): CleanedText {
  if (!multiline && !NEEDS_WORK_LINE.test(raw)) return { text: raw, removed: 0 };
  const decoded = decodeEntities ? decodeHtmlEntities(raw) : raw;
  const nonAscii = NON_ASCII.test(decoded);
  const { text, removed } = removeChars(decoded, nonAscii);
  // Last, so a removed character cannot leave a letter and its accent uncomposed ("A\uFEFF\u0301").
  return { text: collapseWhitespace(nonAscii ? text.normalize('NFC') : text, multiline), removed };
}

/**
 * Only the removals of cleanText (invisible format characters, and the invalid characters it counts), nothing else.
 * For markup, before its tags are read: removed after, a NUL or a zero-width space between "<" and a letter would
 * leave a tag in the text ("<\u0000p>" is text to an HTML tokenizer, "<p>" once the NUL is gone).
 */
export function removeInvalid(raw: string): CleanedText {
  return removeChars(raw, NON_ASCII.test(raw));
}

/** Invisible format characters (only where there is non-ASCII text) and invalid characters out, the latter counted. */
function removeChars(raw: string, nonAscii: boolean): CleanedText {
  let text = raw;
  if (nonAscii && INVISIBLE_TEST.test(text)) text = text.replace(INVISIBLE, '');
  let removed = 0;
  // Testing first spares the common clean value a replace with a callback.
  if (INVALID_TEST.test(text)) {
    text = text.replace(INVALID, () => {
      removed++;
      return '';
    });
  }
  return { text, removed };
}

/**
 * Cuts text to at most `max` UTF-16 units, at the last word boundary when one falls in the final 40%, so a cut
 * title still reads as words. Never splits a surrogate pair.
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  const lastCode = cut.charCodeAt(cut.length - 1);
  if (lastCode >= 0xd800 && lastCode <= 0xdbff) cut = cut.slice(0, -1);
  if (!WHITESPACE_CHAR.test(text[max])) {
    const space = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\n'));
    if (space >= max * 0.6) cut = cut.slice(0, space);
  }
  return cut.replace(TRAILING_JOINERS, '');
}

/** True for titles shouting in capitals: at least 8 capital letters and no lower-case letter. */
export function isAllCaps(text: string): boolean {
  if (LOWERCASE_ASCII.test(text) || LOWERCASE.test(text)) return false;
  UPPERCASE.lastIndex = 0;
  let capitals = 0;
  while (UPPERCASE.exec(text) !== null) {
    if (++capitals >= 8) return true;
  }
  return false;
}
