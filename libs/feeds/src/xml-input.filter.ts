import { FeedReadError } from './feed-read.error.js';

const GT = 62;
const AMP = 38;
const DQ = 34;
const SQ = 39;

const TEXT = 0;
const TAG = 1;
const COMMENT = 2;
const CDATA = 3;
const PI = 4;

/** Longest reference kept whole across chunks: `&#x10FFFF;` and friends, with room for leading zeros. */
const MAX_REFERENCE = 16;
/**
 * Most attributes one tag may have. The parser builds every attribute of a tag before handing it over, so a tag of a
 * million short attributes (12 MB, within the markup limit) cost hundreds of MB and half a minute on its own.
 */
export const MAX_XML_TAG_ATTRIBUTES = 1_000;
const NAMED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

export interface XmlFilterSink {
  /** Text ready for the XML parser. */
  text(chunk: string): void;
  /** A raw `&` that starts no reference was just passed on as `&amp;`. */
  bareAmpersand(): void;
  /** A text or CDATA run went over the cell limit; the rest of it up to the next markup is dropped. */
  textTruncated(): void;
}

/**
 * Sits between the decoder and saxes and does what saxes cannot do safely:
 * - refuses DOCTYPE/ENTITY declarations before the parser sees them (entity bombs, XXE);
 * - escapes a raw `&` that starts no predefined or numeric reference (a common defect in feed URLs,
 *   which saxes would otherwise read as an entity name up to the next `;`, swallowing markup);
 * - stops passing text or CDATA runs on once they exceed the cell limit, so one enormous value
 *   cannot grow the parser's buffer without bound.
 * It tracks just enough markup (tags with quoted attributes, comments, CDATA, processing
 * instructions) to know where `&` is data, and holds back a few characters at chunk ends when a
 * construct is not yet decidable.
 */
export class XmlInputFilter {
  private state = TEXT;
  private quote = 0;
  private carry = '';
  private run = 0;
  private dropping = false;
  /** Attribute values opened in the current tag. */
  private attributes = 0;

  constructor(
    private readonly sink: XmlFilterSink,
    private readonly maxTextRun: number,
    private readonly maxMarkupRun: number,
  ) {}

  write(chunk: string): void {
    this.process(this.carry + chunk, false);
  }

  end(): void {
    if (this.carry) this.process(this.carry, true);
  }

  private process(s: string, final: boolean): void {
    this.carry = '';
    const n = s.length;
    let i = 0;
    let out = 0;
    const flush = (to: number) => {
      if (to > out) this.sink.text(s.slice(out, to));
      out = to;
    };
    const hold = (from: number) => {
      flush(from);
      this.carry = s.slice(from);
      out = n;
    };

    // Next position of each character that matters (n when none); found with indexOf and reused
    // until passed, so each character kind is scanned once per chunk.
    let nextAmp = -1;
    let nextLt = -1;
    let nextGt = -1;
    let nextDq = -1;
    let nextSq = -1;
    while (i < n) {
      if (this.state === TEXT || this.state === TAG) {
        if (this.dropping) {
          const next = s.indexOf('<', i);
          i = next < 0 ? n : next;
          out = i;
          if (next < 0) break;
          this.dropping = false;
          this.run = 0;
        }
        const inTag = this.state === TAG;
        const start = i;
        if (nextAmp < i) nextAmp = indexOrEnd(s, '&', i);
        if (!inTag) {
          if (nextLt < i) nextLt = indexOrEnd(s, '<', i);
          i = Math.min(nextLt, nextAmp);
        } else if (this.quote === DQ) {
          if (nextDq < i) nextDq = indexOrEnd(s, '"', i);
          i = Math.min(nextDq, nextAmp);
        } else if (this.quote === SQ) {
          if (nextSq < i) nextSq = indexOrEnd(s, "'", i);
          i = Math.min(nextSq, nextAmp);
        } else {
          if (nextGt < i) nextGt = indexOrEnd(s, '>', i);
          if (nextDq < i) nextDq = indexOrEnd(s, '"', i);
          if (nextSq < i) nextSq = indexOrEnd(s, "'", i);
          i = Math.min(nextGt, nextDq, nextSq, nextAmp);
        }
        const c = i < n ? s.charCodeAt(i) : 0;
        this.run += i - start;
        if (!inTag && this.run > this.maxTextRun) {
          const cut = i - (this.run - this.maxTextRun);
          flush(cut);
          this.sink.textTruncated();
          this.dropping = true;
          i = cut;
          continue;
        }
        if (inTag && this.run > this.maxMarkupRun) throw markupTooLarge(this.maxMarkupRun);
        if (i >= n) break;
        if (c === AMP) {
          const length = referenceLength(s, i, final);
          if (length < 0) {
            hold(i);
            return;
          }
          if (!inTag && this.run + Math.max(length, 1) > this.maxTextRun) {
            flush(i);
            this.sink.textTruncated();
            this.dropping = true;
            continue;
          }
          if (length > 0) {
            i += length;
            this.run += length;
          } else {
            flush(i);
            this.sink.text('&amp;');
            this.sink.bareAmpersand();
            out = ++i;
            this.run++;
          }
          continue;
        }
        if (inTag) {
          if (c === GT) {
            this.state = TEXT;
            this.run = 0;
          } else {
            // A quote opens an attribute value, or closes the one it opened.
            this.quote = this.quote ? 0 : c;
            if (this.quote && ++this.attributes > MAX_XML_TAG_ATTRIBUTES) throw tooManyAttributes();
          }
          i++;
          continue;
        }
        // c === LT in text: decide which markup starts here.
        const rest = n - i;
        const next = rest > 1 ? s.charCodeAt(i + 1) : 0;
        if (next !== 33 /* ! */ && next !== 63 /* ? */) {
          if (rest < 2 && !final) {
            hold(i);
            return;
          }
          this.state = TAG;
          this.quote = 0;
          this.run = 0;
          this.attributes = 0;
          i++;
        } else if (startsWithAt(s, i, '<!--')) {
          this.state = COMMENT;
          this.run = 0;
          i += 4;
        } else if (startsWithAt(s, i, '<![CDATA[')) {
          this.state = CDATA;
          i += 9;
        } else if (startsWithAt(s, i, '<?')) {
          this.state = PI;
          this.run = 0;
          i += 2;
        } else {
          const partial = s.slice(i).toUpperCase();
          if (rest < 9 && !final && ['<!DOCTYPE', '<!ENTITY', '<![CDATA[', '<!--'].some((m) => m.startsWith(partial))) {
            hold(i);
            return;
          }
          const declaration = s.slice(i, i + 9).toUpperCase();
          if (declaration.startsWith('<!DOCTYPE') || declaration.startsWith('<!ENTITY')) {
            // The parser gets what came before first, as it would had the declaration come in a later chunk, so
            // the events and the error do not depend on where the chunks end.
            flush(i);
            throw doctypeForbidden();
          }
          // Anything else after `<!` is malformed; saxes reports it.
          this.state = TAG;
          this.quote = 0;
          this.run = 0;
          this.attributes = 0;
          i += 2;
        }
        continue;
      }

      const terminator = this.state === COMMENT ? '-->' : this.state === CDATA ? ']]>' : '?>';
      const end = s.indexOf(terminator, i);
      if (end < 0) {
        const keep = Math.max(i, n - (terminator.length - 1));
        this.run += keep - i;
        if (this.state === CDATA) {
          if (!this.dropping && this.run > this.maxTextRun) {
            flush(i + Math.max(0, keep - i - (this.run - this.maxTextRun)));
            this.sink.textTruncated();
            this.dropping = true;
          }
          if (this.dropping) out = keep;
        } else if (this.run > this.maxMarkupRun) {
          throw markupTooLarge(this.maxMarkupRun);
        }
        // At the very end an unclosed comment or CDATA goes to saxes, which reports it.
        if (final) break;
        hold(keep);
        return;
      }
      this.run += end - i;
      if (this.state === CDATA) {
        if (!this.dropping && this.run > this.maxTextRun) {
          flush(end - (this.run - this.maxTextRun));
          this.sink.textTruncated();
          this.dropping = true;
        }
        if (this.dropping) out = end;
        this.dropping = false;
      }
      i = end + terminator.length;
      this.state = TEXT;
      this.run = 0;
    }
    flush(n);
  }
}

/** Length of the valid reference at `s[i] === '&'`, 0 when it is a bare ampersand, -1 when undecidable yet. */
function referenceLength(s: string, i: number, final: boolean): number {
  const n = s.length;
  let j = i + 1;
  if (j < n && s.charCodeAt(j) === 35 /* # */) {
    j++;
    let hex = false;
    if (j < n && (s[j] === 'x' || s[j] === 'X')) {
      if (s[j] === 'X') return 0;
      hex = true;
      j++;
    }
    const digits = j;
    while (
      j < n &&
      j - i < MAX_REFERENCE &&
      (hex ? /[0-9a-fA-F]/.test(s[j]) : s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57)
    )
      j++;
    if (j === n) return final || j - i >= MAX_REFERENCE ? 0 : -1;
    if (s.charCodeAt(j) !== 59 /* ; */ || j === digits) return 0;
    const code = Number.parseInt(s.slice(digits, j), hex ? 16 : 10);
    return isXmlChar(code) ? j + 1 - i : 0;
  }
  while (j < n && j - i <= 5 && /[a-z]/.test(s[j])) j++;
  if (j === n) return final || j - i > 5 ? 0 : -1;
  return s.charCodeAt(j) === 59 && NAMED.has(s.slice(i + 1, j)) ? j + 1 - i : 0;
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function indexOrEnd(s: string, char: string, from: number): number {
  const at = s.indexOf(char, from);
  return at < 0 ? s.length : at;
}

function startsWithAt(s: string, i: number, prefix: string): boolean {
  return s.startsWith(prefix, i);
}

export function doctypeForbidden(): FeedReadError {
  return new FeedReadError(
    'XML_DOCTYPE_FORBIDDEN',
    'The XML declares a DOCTYPE or entities, which feeds are not allowed to do.',
  );
}

function tooManyAttributes(): FeedReadError {
  return new FeedReadError('XML_MARKUP_TOO_LARGE', `A tag has more than ${MAX_XML_TAG_ATTRIBUTES} attributes.`, {
    hint: 'Give each element only the attributes it needs (a product element has a handful); check for a generated or repeated attribute list.',
  });
}

function markupTooLarge(limit: number): FeedReadError {
  return new FeedReadError(
    'XML_MARKUP_TOO_LARGE',
    `A tag, comment or processing instruction is longer than ${limit} characters.`,
  );
}
