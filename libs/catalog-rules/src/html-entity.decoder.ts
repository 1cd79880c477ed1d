// Only entities closed by ";" are decoded, so "AT&T" and "R&D" in plain text stay as written.
// An entity may be escaped once more ("&amp;nbsp;", "&amp;amp;", "&amp;#8211;"): exports that escape text that
// was already escaped. Such a double escape is decoded in the same pass, as the entity it wraps.
const ENTITY = /&(amp;)?(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g;

// prettier-ignore
const NAMED: ReadonlyMap<string, string> = new Map(
  Object.entries({
    amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009',
    shy: '\u00AD', zwnj: '\u200C', zwj: '\u200D', lrm: '\u200E', rlm: '\u200F', ndash: '–', mdash: '—', minus: '−',
    hellip: '…', bull: '•', middot: '·', prime: '′', Prime: '″', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“',
    rdquo: '”', bdquo: '„', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', dagger: '†', Dagger: '‡', permil: '‰',
    trade: '™', copy: '©', reg: '®', deg: '°', micro: 'µ', para: '¶', sect: '§', euro: '€', pound: '£', yen: '¥',
    cent: '¢', curren: '¤', times: '×', divide: '÷', plusmn: '±', frac12: '½', frac14: '¼', frac34: '¾', sup1: '¹',
    sup2: '²', sup3: '³', ordf: 'ª', ordm: 'º', iexcl: '¡', iquest: '¿', not: '¬', macr: '¯', acute: '´', cedil: '¸',
    uml: '¨', brvbar: '¦', larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔', hearts: '♥', star: '☆', check: '✓',
    infin: '∞', le: '≤', ge: '≥', ne: '≠', asymp: '≈', Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Auml: 'Ä',
    Aring: 'Å', AElig: 'Æ', Ccedil: 'Ç', Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Igrave: 'Ì', Iacute: 'Í',
    Icirc: 'Î', Iuml: 'Ï', ETH: 'Ð', Ntilde: 'Ñ', Ograve: 'Ò', Oacute: 'Ó', Ocirc: 'Ô', Otilde: 'Õ', Ouml: 'Ö',
    Oslash: 'Ø', Ugrave: 'Ù', Uacute: 'Ú', Ucirc: 'Û', Uuml: 'Ü', Yacute: 'Ý', THORN: 'Þ', szlig: 'ß', agrave: 'à',
    aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', aelig: 'æ', ccedil: 'ç', egrave: 'è', eacute: 'é',
    ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í', icirc: 'î', iuml: 'ï', eth: 'ð', ntilde: 'ñ', ograve: 'ò',
    oacute: 'ó', ocirc: 'ô', otilde: 'õ', ouml: 'ö', oslash: 'ø', ugrave: 'ù', uacute: 'ú', ucirc: 'û', uuml: 'ü',
    yacute: 'ý', thorn: 'þ', yuml: 'ÿ', OElig: 'Œ', oelig: 'œ', Scaron: 'Š', scaron: 'š', Zcaron: 'Ž', zcaron: 'ž',
    Yuml: 'Ÿ', fnof: 'ƒ',
  }),
);

// HTML maps numeric references 128–159 to Windows-1252, since that is what such pages meant (&#150; is "–").
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function fromCodePoint(code: number): string {
  if (code >= 128 && code <= 159) return CP1252[code - 128];
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(code);
}

function replaceEntity(
  match: string,
  escaped: string | undefined,
  dec: string | undefined,
  hex: string | undefined,
  name: string | undefined,
): string {
  if (dec !== undefined) return fromCodePoint(Number(dec));
  if (hex !== undefined) return fromCodePoint(parseInt(hex, 16));
  const named = NAMED.get(name!);
  if (named !== undefined) return named;
  // "&amp;foo;" with an unknown name is an escaped "&foo;", as one decode makes it.
  return escaped ? `&${match.slice(5)}` : match;
}

/**
 * Decodes HTML character references (`&amp;`, `&#8211;`, `&#x2019;`) once; unknown names stay as written. An entity
 * escaped twice (`&amp;nbsp;`, `&amp;amp;`) is decoded fully, since the second escape is a mistake of the export.
 */
export function decodeHtmlEntities(text: string): string {
  return text.indexOf('&') < 0 ? text : text.replace(ENTITY, replaceEntity);
}
