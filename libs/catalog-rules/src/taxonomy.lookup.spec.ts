import { describe, expect, it } from '@jest/globals';

import {
  categoryKey,
  findTaxonomyFile,
  googleTaxonomy,
  lookupCategory,
  parseTaxonomy,
  suggestCategory,
} from './taxonomy.lookup.js';

describe('Google product taxonomy', () => {
  it('loads the vendored file once, with its version and every line', () => {
    const taxonomy = googleTaxonomy();
    expect(taxonomy.version).toBe('2021-09-21');
    expect(taxonomy.byId.size).toBe(5595);
    expect(googleTaxonomy()).toBe(taxonomy);
    expect(findTaxonomyFile()).toMatch(/libs\/catalog-rules\/data\/google_product_taxonomy\.en-US\.txt$/);
  });

  it('spells every path as Google does (the vendored copy had nine double-encoded, "BoutonniГЁre")', () => {
    const { byId } = googleTaxonomy();
    expect(byId.get(6100)).toBe(
      'Arts & Entertainment > Party & Celebration > Gift Giving > Corsage & Boutonnière Pins',
    );
    expect(byId.get(3994)).toBe('Arts & Entertainment > Party & Celebration > Party Supplies > Piñatas');
    expect(lookupCategory('Home & Garden > Kitchen & Dining > Cookware & Bakeware > Cookware > Sauté Pans')?.id).toBe(
      4423,
    );
    // English paths need nothing past Latin-1; anything else is a decoding accident.
    const foreign = [...byId.values()].filter((path) => /[^\x20-\xff]/.test(path));
    expect(foreign).toEqual([]);
  });
});

describe('lookupCategory', () => {
  const clothing = { id: 1604, path: 'Apparel & Accessories > Clothing' };

  it('finds a category by id', () => {
    expect(lookupCategory('1604')).toEqual(clothing);
    expect(lookupCategory(' 212 ')).toEqual({ id: 212, path: 'Apparel & Accessories > Clothing > Shirts & Tops' });
  });

  it('finds a category by path, ignoring case and whitespace', () => {
    expect(lookupCategory('Apparel & Accessories > Clothing')).toEqual(clothing);
    expect(lookupCategory('apparel &  accessories>clothing')).toEqual(clothing);
    expect(lookupCategory('  APPAREL & ACCESSORIES  >  CLOTHING ')).toEqual(clothing);
    expect(lookupCategory('Apparel &amp; Accessories > Clothing')).toEqual(clothing);
  });

  it('accepts a pasted "id - path" line and a spreadsheet "1604.0"', () => {
    expect(lookupCategory('1604 - Apparel & Accessories > Clothing')).toEqual(clothing);
    expect(lookupCategory('1604.0')).toEqual(clothing);
  });

  it('returns null for an unknown id or path', () => {
    expect(lookupCategory('99999999')).toBeNull();
    expect(lookupCategory('123456')).toBeNull();
    expect(lookupCategory('Apparel & Accessories > Clothes')).toBeNull();
    expect(lookupCategory('Bowls & Dining > Food & Water Bowls')).toBeNull();
  });
});

describe('suggestCategory', () => {
  it('suggests the category whose leaf matches the given leaf, plural-insensitive', () => {
    expect(suggestCategory('Clothing > Dress')).toEqual({
      id: 2271,
      path: 'Apparel & Accessories > Clothing > Dresses',
    });
    expect(suggestCategory('Cycling > bicycle helmet')?.id).toBe(1029);
  });

  it('walks up the given path when the leaf matches nothing', () => {
    expect(suggestCategory('Clothing > Fancy T-Shirts')).toEqual({
      id: 1604,
      path: 'Apparel & Accessories > Clothing',
    });
  });

  it('returns null when nothing is close', () => {
    expect(suggestCategory('Gizmos > Whatchamacallits')).toBeNull();
  });
});

describe('parseTaxonomy', () => {
  it('indexes id, path and leaf, skipping comments and blank lines', () => {
    const taxonomy = parseTaxonomy(
      '# Google_Product_Taxonomy_Version: test\n1 - Animals\n\n3 - Animals > Pet Supplies\n',
    );
    expect(taxonomy.version).toBe('test');
    expect(taxonomy.byId.get(3)).toBe('Animals > Pet Supplies');
    expect(lookupCategory('animals>pet supplies', taxonomy)).toEqual({ id: 3, path: 'Animals > Pet Supplies' });
    expect(suggestCategory('Pets > Pet Supply', taxonomy)?.id).toBe(3);
  });

  it('normalizes keys the same way for file and feed', () => {
    expect(categoryKey(' Home &amp; Garden >Decor ')).toBe('home & garden>decor');
  });
});
