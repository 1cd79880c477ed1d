import { decodeHtmlEntities } from './html-entity.decoder.js';

export interface CleanedText {
  text: string;
  /** How many control, non-character or broken-surrogate characters were removed. */
  removed: number;
  /** How many bidirectional embedding, override or isolate controls were removed; absent when none. */
  bidi?: number;
}

// Anything outside printable ASCII, an entity, or spaces to collapse sends a value down the slow path; most
// values of most feeds take the fast one and come back as the same string.
const NEEDS_WORK_LINE = /[^\x20-\x7E]|^ | $| {2}|&[#a-zA-Z]/;
const NON_ASCII = /[^\x00-\x7F]/;
// Invisible format characters that only get in the way: zero-width space, word joiner, BOM, soft hyphen.
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD]/g;
// C0/C1 controls other than whitespace, the deprecated format controls U+206A–U+206F and the interlinear annotation
// controls U+FFF9–U+FFFB (no text shown to people uses them), U+FFFD (an earlier decode failed), non-characters, lone
// surrogates.
const INVALID =
  /[\x00-\x08\x0E-\x1F\x7F-\x9F\u206A-\u206F\uFFF9-\uFFFB\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const INVALID_TEST = new RegExp(INVALID.source);
// Bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI). They reorder the text
// around them wherever it is shown (a title "Trail shoe \u202Ederf" reads "Trail shoe fred", and an unclosed override
// runs on into what a page prints after it), Merchant Center refuses them as invalid characters, and a product value
// never needs them: a browser lays out Arabic or Hebrew by itself. The marks U+200E, U+200F and U+061C, which change
// no order beyond the neutral characters beside them, are kept.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
const BIDI_TEST = new RegExp(BIDI.source);
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
  const removal = removeChars(decoded, nonAscii);
  // Last, so a removed character cannot leave a letter and its accent uncomposed ("A\uFEFF\u0301").
  return { ...removal, text: collapseWhitespace(nonAscii ? removal.text.normalize('NFC') : removal.text, multiline) };
}

/**
 * Only the removals of cleanText (invisible format characters, and the invalid characters it counts), nothing else.
 * For markup, before its tags are read: removed after, a NUL or a zero-width space between "<" and a letter would
 * leave a tag in the text ("<\u0000p>" is text to an HTML tokenizer, "<p>" once the NUL is gone).
 */
export function removeInvalid(raw: string): CleanedText {
  return removeChars(raw, NON_ASCII.test(raw));
}

/**
 * Invisible format characters (only where there is non-ASCII text), bidirectional controls and invalid characters
 * out, the last two counted. Emoji (surrogate pairs), ZWJ and ZWNJ (emoji sequences, Persian and Indic scripts),
 * variation selectors and tag characters (flag sequences) are text and stay.
 */
function removeChars(raw: string, nonAscii: boolean): CleanedText {
  let text = raw;
  let bidi = 0;
  if (nonAscii) {
    if (INVISIBLE_TEST.test(text)) text = text.replace(INVISIBLE, '');
    if (BIDI_TEST.test(text)) {
      text = text.replace(BIDI, () => {
        bidi++;
        return '';
      });
    }
  }
  let removed = 0;
  // Testing first spares the common clean value a replace with a callback.
  if (INVALID_TEST.test(text)) {
    text = text.replace(INVALID, () => {
      removed++;
      return '';
    });
  }
  return bidi ? { text, removed, bidi } : { text, removed };
}

/** Which characters cleanText removes and counts: `invalid` ones (CleanedText.removed) or `bidi` controls. */
export type RemovedKind = 'invalid' | 'bidi';

export interface RemovedCharacters {
  /** The distinct characters removed, in order of first appearance, as "U+202E" (at most 5). */
  codePoints: string[];
  /** 1-based position, in characters (an emoji counts one), of the first of them in the value as given. */
  position: number | null;
  /** True when the value wrote them only as HTML character references (`&#x202E;`), so position is null. */
  asEntities: boolean;
}

const BIDI_NAMES: Readonly<Record<number, string>> = {
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
};

/** "U+202E", and for a bidirectional control its name: "U+202E (right-to-left override)". */
export function describeCodePoint(codePoint: string): string {
  const name = BIDI_NAMES[Number.parseInt(codePoint.slice(2), 16)];
  return name ? `${codePoint} (${name})` : codePoint;
}

/**
 * What cleanText removed of one kind from `raw`, for a diagnostic the brand can act on: the characters and where the
 * first one is in the value it sent. Only for reporting (it scans the value again), so a clean value costs nothing.
 */
export function removedCharacters(raw: string, kind: RemovedKind): RemovedCharacters {
  const pattern = new RegExp((kind === 'bidi' ? BIDI : INVALID).source, 'g');
  let found = scan(raw, pattern);
  let asEntities = false;
  if (found.codePoints.length === 0) {
    found = scan(decodeHtmlEntities(raw), pattern);
    asEntities = found.codePoints.length > 0;
  }
  return { codePoints: found.codePoints, position: asEntities ? null : found.position, asEntities };
}

function scan(text: string, pattern: RegExp): { codePoints: string[]; position: number | null } {
  const codePoints: string[] = [];
  let position: number | null = null;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    // Characters before it, a surrogate pair counted once.
    position ??= [...text.slice(0, match.index)].length + 1;
    const name = `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    if (!codePoints.includes(name)) codePoints.push(name);
    if (codePoints.length === 5) break;
  }
  return { codePoints, position };
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
