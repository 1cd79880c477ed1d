import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor } from './cursor.js';
import { BadInputError } from '@brandshelf/core';
import { bucketBounds, compareDecimals, decimalToMinor, minorToDecimal, money, parseDecimal } from './money.js';
import {
  baseConditions,
  correctWord,
  editDistance,
  lexemeQuery,
  Params,
  planSearch,
  queryWords,
  scoreExpression,
  textCondition,
  type Lexicon,
} from './search.sql.js';
import { uuidBound } from './search.service.js';

describe('money', () => {
  it('converts decimal strings to minor units exactly, rounding inwards past the exponent', () => {
    expect(decimalToMinor('19.99', 'USD', 'up')).toBe(1999n);
    expect(decimalToMinor('0.3', 'USD', 'down')).toBe(30n);
    expect(decimalToMinor('12.345', 'USD', 'up')).toBe(1235n);
    expect(decimalToMinor('12.345', 'USD', 'down')).toBe(1234n);
    expect(decimalToMinor('1500', 'JPY', 'up')).toBe(1500n);
    expect(decimalToMinor('1.5', 'BHD', 'up')).toBe(1500n);
    expect(decimalToMinor('1.234', 'KWD', 'down')).toBe(1234n);
    // Past 2^53 in minor units a float would have lost the last digit.
    expect(decimalToMinor('90071992547409.93', 'USD', 'down')).toBe(9007199254740993n);
  });

  it('reads decimal strings and refuses malformed ones and too many decimals for the currency', () => {
    expect(parseDecimal('19.99', 'USD', 'f')).toBe('19.99');
    expect(parseDecimal('1500', 'JPY', 'f')).toBe('1500');
    expect(parseDecimal('1.250', 'KWD', 'f')).toBe('1.250');
    expect(parseDecimal('0.0001', null, 'f')).toBe('0.0001');
    expect(parseDecimal('99999999999999.9999', 'CLF', 'f')).toBe('99999999999999.9999');
    for (const [text, currency] of [
      ['19.999', 'USD'],
      ['1500.5', 'JPY'],
      ['1.2345', 'BHD'],
      ['0.00001', null],
      ['abc', 'USD'],
      ['-1', 'USD'],
      ['1e3', 'USD'],
      ['01.5', 'USD'],
      ['1.', 'USD'],
      ['.5', 'USD'],
      ['', 'USD'],
      ['Infinity', null],
      ['100000000000000', 'USD'], // 15 digits before the point: past what bigint minor units hold
    ] as const) {
      expect(() => parseDecimal(text, currency, 'filter.price.min')).toThrow(BadInputError);
    }
    expect(compareDecimals('10', '9.99')).toBe(1);
    expect(compareDecimals('1.5', '1.50')).toBe(0);
    expect(compareDecimals('0.0001', '0.001')).toBe(-1);
  });

  it('round-trips money exactly: minor units to the output decimal and the decimal back as input', () => {
    for (const [minor, currency, amount] of [
      ['1999', 'USD', '19.99'],
      ['1500', 'JPY', '1500'],
      ['1250', 'KWD', '1.250'],
      ['5', 'BHD', '0.005'],
      ['9007199254740993', 'EUR', '90071992547409.93'],
    ] as const) {
      const out = money(minor, currency)!;
      expect(out.amount).toBe(amount);
      expect(decimalToMinor(parseDecimal(out.amount, currency, 'f'), currency, 'down')).toBe(BigInt(minor));
    }
  });

  it('prints amounts exactly and formats them', () => {
    expect(minorToDecimal('123456789012345678', 'USD')).toBe('1234567890123456.78');
    expect(minorToDecimal(5, 'USD')).toBe('0.05');
    expect(money('1999', 'EUR')).toEqual({ amount: '19.99', currency: 'EUR', formatted: '€19.99' });
    expect(money(null, 'EUR')).toBeNull();
  });

  it('has inclusive bucket bounds scaled per currency', () => {
    expect(bucketBounds('USD', 0)).toEqual({ min: '0.00', max: '9.99' });
    expect(bucketBounds('USD', 7)).toEqual({ min: '1000.00', max: null });
    expect(bucketBounds('JPY', 1)).toEqual({ min: '1000', max: '2499' });
  });
});

describe('search plan', () => {
  it('defaults the sort to relevance with a query and newest without', () => {
    expect(planSearch({ query: 'shoe' }).sort).toBe('RELEVANCE');
    expect(planSearch({}).sort).toBe('NEWEST');
    expect(planSearch({ sort: 'RELEVANCE' }).sort).toBe('NEWEST');
  });

  it('keeps words worth matching', () => {
    expect(queryWords('The red Sneakrs, of 2 sizes!')).toEqual(['red', 'sneakrs', '2', 'sizes']);
  });

  it('resolves a taxonomy id to its path (subcategories included)', () => {
    expect(planSearch({ filter: { category: '187' } }).filter.category).toEqual({
      path: 'Apparel & Accessories > Shoes',
    });
    expect(planSearch({ filter: { category: 'apparel & accessories>clothing' } }).categoryLevel).toBe(3);
  });

  it('ties a cursor to its search', () => {
    const plan = planSearch({ query: 'shoe' });
    const cursor = encodeCursor({
      sort: 'RELEVANCE',
      mode: 'FULL_TEXT',
      keys: [0.5],
      id: '00000000-0000-4000-8000-000000000000',
      fingerprint: plan.fingerprint,
    });
    expect(decodeCursor(cursor).keys).toEqual([0.5]);
    expect(planSearch({ query: 'shoe', after: cursor }).after?.mode).toBe('FULL_TEXT');
    expect(() => planSearch({ query: 'boot', after: cursor })).toThrow(/different search/);
    expect(() => planSearch({ after: 'garbage' })).toThrow(/cursor/);
  });

  it('samples uuids below a bound', () => {
    expect(uuidBound(0.5)).toBe('80000000-0000-0000-0000-000000000000');
    expect(uuidBound(1)).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
  });
});

describe('reading a query in the languages of the catalog', () => {
  const plan = (query: string, lexicon: Lexicon) => ({ ...planSearch({ query }), lexicon });

  it('keeps words whole when an accent is typed as a combining mark', () => {
    expect(queryWords('Nabi\u0301jec\u030cka')).toEqual(['nabíječka']);
  });

  it('matches like a single-language search when every language reads the query alike', () => {
    const p = plan('shoes', {
      configs: ['unaccent_english', 'unaccent_french'],
      full: ["'shoe'", "'shoe'"],
      either: ["'shoe'", "'shoe'"],
      words: [["'shoe'", "'shoe'"]],
      folded: ['shoes'],
    });
    const params = new Params();
    expect(textCondition(p, 'FULL_TEXT', params)).toBe('p.search @@ $1::tsquery');
    expect(params.values).toEqual(["'shoe'"]);
    expect(scoreExpression(p, 'FULL_TEXT', new Params())).toBe('(ts_rank(p.search, $1::tsquery))::float8');
  });

  it('gives each distinct reading its own indexable arm, limited to the languages that read it so', () => {
    const p = plan('chaussures', {
      configs: ['unaccent_english', 'unaccent_french', 'unaccent_simple'],
      full: ["'chaussur'", "'chaussur'", "'chaussures'"],
      either: ["'chaussur'", "'chaussur'", "'chaussures'"],
      words: [["'chaussur'", "'chaussur'", "'chaussures'"]],
      folded: ['chaussures'],
    });
    const params = new Params();
    // One index condition for all readings (as selective to the planner as one language), then the exact match.
    expect(textCondition(p, 'FULL_TEXT', params)).toBe(
      '(p.search @@ $5::tsquery AND ((p.search @@ $1::tsquery AND p.search_config = ANY($2::regconfig[])) OR ' +
        '(p.search @@ $3::tsquery AND p.search_config = ANY($4::regconfig[]))))',
    );
    expect(params.values).toEqual([
      "'chaussur'",
      ['unaccent_english', 'unaccent_french'],
      "'chaussures'",
      ['unaccent_simple'],
      "('chaussur') | ('chaussures')",
    ]);
    // The planner's estimate reads the condition on all readings alone (its product with the exact one is far too low).
    const loose = new Params();
    expect(baseConditions(p, 'FULL_TEXT', loose, false, true)).toEqual(['p.search @@ $1::tsquery']);
    expect(loose.values).toEqual(["('chaussur') | ('chaussures')"]);
    expect(scoreExpression(p, 'FULL_TEXT', new Params())).toMatch(
      /^\(CASE WHEN p\.search_config = ANY\(\$1::regconfig\[\]\) THEN ts_rank\(p\.search, \$2::tsquery\) ELSE ts_rank/,
    );
  });

  it('lets a word that is a stop word in one language match all of that language, as full-text search does', () => {
    const p = plan('les sacs', {
      configs: ['unaccent_english', 'unaccent_french'],
      full: ["'le' & 'sac'", "'sac'"],
      either: ["'le' | 'sac'", "'sac'"],
      words: [
        ["'le'", ''],
        ["'sac'", "'sac'"],
      ],
      folded: ['les', 'sacs'],
    });
    const params = new Params();
    const sql = textCondition({ ...p, fuzzy: [] }, 'FUZZY', params);
    expect(sql).toBe(
      '((p.search @@ $1::tsquery AND p.search_config = ANY($2::regconfig[])) OR p.search_config = ANY($3::regconfig[])) ' +
        'AND p.search @@ $4::tsquery',
    );
    expect(params.values[2]).toEqual(['unaccent_french']);
  });

  it('matches nothing in an empty catalog and refuses to build text SQL without a lexicon', () => {
    const empty = plan('shoe', { configs: [], full: [], either: [], words: [[]], folded: ['shoe'] });
    expect(textCondition(empty, 'FULL_TEXT', new Params())).toBe('false');
    expect(() => textCondition(planSearch({ query: 'shoe' }), 'FULL_TEXT', new Params())).toThrow(/lexicon/);
  });
});

describe('typo correction', () => {
  const english = (query: string, folded: string[], words: string[][]) => ({
    ...planSearch({ query }),
    lexicon: { configs: ['unaccent_english'], full: [], either: [], words, folded },
  });

  it('counts edits, adjacent transpositions as one, and stops past the limit', () => {
    expect(editDistance('sneakrs', 'sneakers', 2)).toBe(1);
    expect(editDistance('sneakr', 'sneaker', 2)).toBe(1);
    expect(editDistance('nabijecla', 'nabijecka', 2)).toBe(1);
    expect(editDistance('jakcet', 'jacket', 2)).toBe(1);
    expect(editDistance('abc', 'abc', 0)).toBe(0);
    expect(editDistance('runs', 'running', 1)).toBe(2);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });

  it('corrects to the nearest of the catalog words, then the most frequent, within AUTO fuzziness', () => {
    const plan = english('sneakrs', ['sneakrs'], [["'sneakr'"]]);
    const candidates = [
      { lex: 'sneaker', n: 900 },
      { lex: 'sneak', n: 5 },
      { lex: 'sneakerhead', n: 40 },
      { lex: 'snorkel', n: 300 },
    ];
    // "sneakr" (the stem) is one edit from sneaker; "sneak" two from the typed word; the rest too far.
    expect(correctWord(plan, 'sneakrs', candidates)).toEqual(['sneaker', 'sneak']);
    // Up to five letters, one edit only; at the same distance the more frequent word first.
    const short = english('mugz', ['mugz'], [["'mugz'"]]);
    expect(
      correctWord(short, 'mugz', [
        { lex: 'mug', n: 1 },
        { lex: 'mu', n: 9 },
        { lex: 'mugs', n: 2 },
      ]),
    ).toEqual(['mugs', 'mug']);
    expect(correctWord(short, 'mugz', [])).toEqual([]);
  });

  it('quotes lexemes so a correction is looked up as stored, never parsed as tsquery syntax', () => {
    expect(lexemeQuery(['sneaker'])).toBe("'sneaker'");
    expect(lexemeQuery(["o'neil", 'a\\b', 'x | y'])).toBe("'o''neil' | 'a\\\\b' | 'x | y'");
  });

  it('falls back to comparing titles when the sample held no correction (a prefix crowded by another word)', () => {
    // "wal" sampled only walnut products: "walet" found no word within one edit, so wallet must still be reachable.
    const plan = english('leathr walet', ['leathr', 'walet'], [["'leathr'"], ["'walet'"]]);
    const params = new Params();
    const fuzzy = { ...plan, fuzzy: ['leathr', 'walet'], corrections: [['leather'], []] };
    const sql = textCondition(fuzzy, 'FUZZY', params);
    expect(sql).toContain("to_tsquery('unaccent_simple'");
    expect(sql).toContain('word_similarity');
    expect(params.values).toContain("'leather'");
    expect(scoreExpression(fuzzy, 'FUZZY', new Params())).toContain('word_similarity');
  });

  it('matches a corrected word by its lexemes and carries the corrections to the next page', () => {
    const plan = { ...english('canvas sneakrs', ['canvas', 'sneakrs'], [["'canva'"], ["'sneakr'"]]) };
    const params = new Params();
    const sql = textCondition({ ...plan, fuzzy: ['sneakrs'], corrections: [['sneaker']] }, 'FUZZY', params);
    expect(sql).toBe('p.search @@ $1::tsquery AND (p.search @@ $2::tsquery OR p.search @@ $3::tsquery)');
    expect(params.values).toEqual(["'canva'", "'sneakr'", "'sneaker'"]);
    expect(sql).not.toContain('word_similarity');
    const cursor = encodeCursor({
      sort: 'RELEVANCE',
      mode: 'FUZZY',
      keys: [0.5],
      id: '00000000-0000-4000-8000-000000000000',
      fingerprint: plan.fingerprint,
      fuzzy: ['sneakrs'],
      corrections: [['sneaker']],
    });
    const next = planSearch({ query: 'canvas sneakrs', after: cursor });
    expect(next.fuzzy).toEqual(['sneakrs']);
    expect(next.corrections).toEqual([['sneaker']]);
  });
});
