const WORD_START = /(^|[^\p{L}\p{N}'’])(\p{L})/gu;
const WHITESPACE = /\s/;
const TRAILING = /[\s,;:\-–—/(&+]/u;

/** Each word's first letter upper case, the rest lower: "LEATHER t-shirt" → "Leather T-Shirt"; "men's" stays one word. */
export function titleCase(value: string): string {
  const lower = value.toLowerCase();
  // ASCII fast path, by character codes; anything else by the Unicode-aware pattern.
  let out = '';
  let start = 0;
  let inWord = false;
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    if (code > 127)
      return lower.replace(WORD_START, (_, before: string, letter: string) => before + letter.toUpperCase());
    const letter = code >= 97 && code <= 122;
    if (letter && !inWord) {
      out += lower.slice(start, i) + String.fromCharCode(code - 32);
      start = i + 1;
    }
    inWord = letter || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || code === 39;
  }
  return start === 0 ? lower : out + lower.slice(start);
}

/**
 * At most `max` characters (UTF-16 units, as Merchant Center's limits count), cut at the last word boundary
 * within them, without trailing spaces or joining punctuation. A first word longer than `max` is cut inside, after
 * its last whole grapheme that fits (an accent written as a combining mark stays on its letter, a flag or an emoji
 * sequence is kept whole or left out), or, when not even its first grapheme fits, after its last whole code point
 * (never between the halves of a surrogate pair).
 */
export function truncateOnWord(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, max);
  if (!WHITESPACE.test(value[max])) {
    let space = -1;
    for (let i = cut.length - 1; i > 0; i--) {
      if (WHITESPACE.test(cut[i])) {
        space = i;
        break;
      }
    }
    if (space > 0) cut = cut.slice(0, space);
    else {
      const end = graphemeEnd(value, max);
      if (end > 0) cut = value.slice(0, end);
    }
  }
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  // A loop, not a `[…]+$` pattern: that backtracks quadratically over a long run of spaces and commas.
  let end = cut.length;
  while (end > 0 && TRAILING.test(cut[end - 1])) end--;
  return end === 0 ? cut : cut.slice(0, end);
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** How far before `max` graphemeEnd looks: graphemes are short, and a long word is segmented only near its cut. */
const GRAPHEME_WINDOW = 256;

/**
 * The last grapheme boundary at or before `max` in `value` (0 when the first grapheme is longer). Only the stretch
 * before `max` is segmented, from a printable ASCII character (which always starts a grapheme) when there is one.
 */
function graphemeEnd(value: string, max: number): number {
  let from = Math.max(0, max - GRAPHEME_WINDOW);
  if (from > 0) {
    let anchor = from;
    while (anchor < max && !isGraphemeStart(value, anchor)) anchor++;
    if (anchor < max) from = anchor;
  }
  let end = 0;
  // The code point at `max` is included: whether a boundary falls at `max` depends on it (none before a combining
  // mark, nor inside a flag's pair of regional indicators).
  for (const { index, segment } of GRAPHEMES.segment(value.slice(from, max + 2))) {
    const segmentEnd = from + index + segment.length;
    if (segmentEnd > max) break;
    end = segmentEnd;
  }
  return from > 0 && end === 0 ? from : end;
}

/** A printable ASCII character not after CR: a grapheme starts there, whatever precedes it (bar rare prepends). */
function isGraphemeStart(value: string, at: number): boolean {
  const code = value.charCodeAt(at);
  return code > 0x20 && code < 0x7f && value.charCodeAt(at - 1) !== 0x0d;
}
