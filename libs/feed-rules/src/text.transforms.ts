const WORD_START = /(^|[^\p{L}\p{N}'’])(\p{L})/gu;
const WHITESPACE = /\s/;
const TRAILING = /[\s,;:\-–—/(&+]/u;

/** Each word's first letter upper case, the rest lower: "LEATHER t-shirt" → "Leather T-Shirt"; "men's" stays one word. */
export function titleCase(value: string): string {
  return value.toLowerCase().replace(WORD_START, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/**
 * At most `max` characters (UTF-16 units, as Merchant Center's limits count), cut at the last word boundary
 * within them, without trailing spaces or joining punctuation. A first word longer than `max` is cut inside (never
 * between the halves of a surrogate pair).
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
  }
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  // A loop, not a `[…]+$` pattern: that backtracks quadratically over a long run of spaces and commas.
  let end = cut.length;
  while (end > 0 && TRAILING.test(cut[end - 1])) end--;
  return end === 0 ? cut : cut.slice(0, end);
}
