import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

import {
  findKeywordFile,
  parseKeywordTable,
  stemWord,
  suggestCategoryForItem,
  tokenize,
  warmCategorySuggester,
} from './category.suggester.js';
import { ItemValidator } from './item.validator.js';
import type { RawItem, ValidatorOptions } from './normalized-product.model.js';
import { googleTaxonomy } from './taxonomy.lookup.js';

const WALLETS = 'Apparel & Accessories > Handbags, Wallets & Cases > Wallets & Money Clips';

describe('tokenize', () => {
  it('lower-cases, drops accents, stop words and numbers, and stems plurals', () => {
    expect(tokenize("Men's Leather Wallets, 2 pcs")).toEqual(['men', 'leather', 'wallet']);
    expect(tokenize('Dresses & Accessories > Boxes')).toEqual(['dress', 'box']);
    expect(tokenize('Crème brûlée T-Shirts')).toEqual(['creme', 'brulee', 'tshirt']);
    expect(tokenize('Bike knives')).toEqual(['bicycle', 'knife']);
  });

  it('keeps short words and words that only look plural', () => {
    expect(['bus', 'glass', 'dress', 'tennis'].map(stemWord)).toEqual(['bus', 'glass', 'dress', 'tennis']);
    expect(['batteries', 'watches', 'shoes'].map(stemWord)).toEqual(['battery', 'watch', 'shoe']);
  });
});

describe('the keyword table', () => {
  it('names only taxonomy ids, each with its own path beside it', () => {
    const taxonomy = googleTaxonomy();
    const lines = readFileSync(findKeywordFile(), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    expect(lines.length).toBeGreaterThan(300);
    for (const line of lines) {
      const [word, id, path] = line.split('\t');
      expect({ word, path: taxonomy.byId.get(Number(id)) }).toEqual({ word, path });
    }
    expect(parseKeywordTable(lines.join('\n')).length).toBe(lines.length);
  });

  it('is indexed once, small', () => {
    const size = warmCategorySuggester();
    expect(size.nodes).toBe(5595);
    expect(size.keywords).toBeGreaterThan(300);
    expect(size.words).toBeLessThan(5000);
  });
});

describe('suggestCategoryForItem', () => {
  it.each([
    ["Men's leather wallet", WALLETS],
    ['Organic Cotton T-Shirt', 'Apparel & Accessories > Clothing > Shirts & Tops'],
    [
      'Stainless steel water bottle 750ml',
      'Home & Garden > Kitchen & Dining > Food & Beverage Carriers > Water Bottles',
    ],
    ['Ceramic coffee mug', 'Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs'],
    ['Yoga mat non-slip', 'Sporting Goods > Exercise & Fitness > Yoga & Pilates > Yoga & Pilates Mats'],
  ])('suggests the obvious category for "%s"', (title, path) => {
    const suggestion = suggestCategoryForItem({ title });
    expect(suggestion?.path).toBe(path);
    expect(suggestion!.confidence).toBeGreaterThan(0);
    expect(suggestion!.confidence).toBeLessThanOrEqual(1);
  });

  it('weighs product_type: the same title goes where the brand files it', () => {
    expect(suggestCategoryForItem({ title: 'Classic', productType: 'Shirts' })?.path).toBe(
      'Apparel & Accessories > Clothing > Shirts & Tops',
    );
    expect(suggestCategoryForItem({ title: 'Classic', productType: 'Accessories > Wallets' })?.path).toBe(WALLETS);
  });

  it('reads the description when the title says nothing', () => {
    const suggestion = suggestCategoryForItem({
      title: 'KX-200',
      description: 'Wireless headphones with 30 h battery.',
    });
    expect(suggestion?.path).toContain('Electronics > Audio');
  });

  it('is more confident the more the words agree', () => {
    const vague = suggestCategoryForItem({ title: 'Leather goods' })!;
    const clear = suggestCategoryForItem({ title: "Men's leather wallet", productType: 'Wallets' })!;
    expect(clear.confidence).toBeGreaterThan(vague.confidence);
  });

  it('does not take a maker for the thing: the brand field, or a capitalised "BRAND - " title prefix', () => {
    const bell = 'A brass bicycle bell with a clear tone, fits most handlebars.';
    const BELLS = 'Sporting Goods > Outdoor Recreation > Cycling > Bicycle Accessories > Bicycle Bells & Horns';
    expect(suggestCategoryForItem({ title: 'CRANE - Riff', description: bell })?.path).toBe(BELLS);
    expect(suggestCategoryForItem({ title: 'Crane Riff', brand: 'Crane', description: bell })?.path).toBe(BELLS);
    // Without either, the title's rare "crane" wins: the discount is what makes the difference.
    expect(suggestCategoryForItem({ title: 'Crane Riff', description: bell })?.path).not.toBe(BELLS);
    // The brand's words still count in the description, which names the thing ("Crane Bells": a bell).
    expect(suggestCategoryForItem({ title: 'Riff', brand: 'Crane Bells', description: bell })?.path).toBe(BELLS);
  });

  it('splits an unknown compound into two known words', () => {
    expect(suggestCategoryForItem({ title: 'Wallclock Oslo' })?.path).toBe(
      'Home & Garden > Decor > Clocks > Wall Clocks',
    );
  });

  it('takes the thing before "with", "for" or "that" as the head of a title or of the first sentence', () => {
    expect(suggestCategoryForItem({ title: 'Lamp with USB charger' })?.path).toBe('Home & Garden > Lighting > Lamps');
    expect(suggestCategoryForItem({ title: 'Sofa with ottoman' })?.path).toBe('Furniture > Sofas');
    expect(
      suggestCategoryForItem({ title: 'Varedo 47', description: 'Hardened steel lock that keeps your bicycle safe.' })
        ?.path,
    ).toBe('Sporting Goods > Outdoor Recreation > Cycling > Bicycle Accessories > Bicycle Locks');
  });

  it('counts an ancestor word once, however many ancestors repeat it', () => {
    // "lock" is in three names on the way to Vehicle Door Lock Knobs; counted three times it won for any lock.
    const suggestion = suggestCategoryForItem({
      title: 'Varedo',
      description: 'A reliable lock with high security and theft resistance.',
    });
    expect(suggestion?.path).toBe('Hardware > Locks & Keys');
  });

  it('reads a product_type that names a collection ("The ...", "...\'s") as description, and each of several values', () => {
    const title = 'Rain Poncho for Hikers';
    const alone = suggestCategoryForItem({ title })!.path;
    expect(suggestCategoryForItem({ title, productType: "The Dog Walker's Corner" })?.path).toBe(alone);
    expect(suggestCategoryForItem({ title: 'Classic', productType: "The Captain's Collection;Wallets" })?.path).toBe(
      WALLETS,
    );
  });

  it('gives a confidence below 1 that rises with agreement', () => {
    const sure = suggestCategoryForItem({ title: 'Wool Overcoat', productType: 'Clothing > Coats & Jackets' })!;
    expect(sure.confidence).toBeLessThanOrEqual(0.97);
    expect(sure.confidence).toBeGreaterThan(0.8);
    const vague = suggestCategoryForItem({ title: 'Oslo', description: 'Made to last, designed in Lisbon.' });
    expect(vague === null || vague.confidence < 0.3).toBe(true);
  });

  it('suggests nothing for an item whose words name no category', () => {
    expect(suggestCategoryForItem({ title: 'XR-7 2024' })).toBeNull();
    expect(suggestCategoryForItem({})).toBeNull();
  });
});

describe('ItemValidator: GOOGLE_PRODUCT_CATEGORY_SUGGESTED', () => {
  const WALLET: RawItem['fields'] = {
    id: 'W-1',
    title: "Men's leather wallet",
    description: 'Slim bifold wallet in full-grain leather.',
    link: 'https://shop.example.com/products/wallet',
    image_link: 'https://cdn.example.com/wallet.jpg',
    availability: 'in stock',
    price: '49.00 EUR',
    brand: 'Acme',
    gtin: '4006381333931',
  };
  const validate = (fields: RawItem['fields'], opts: Partial<ValidatorOptions>) =>
    new ItemValidator({ mode: 'REPLACE', ...opts }).validate({ row: 3, fields });
  const confidence = suggestCategoryForItem({
    title: WALLET.title as string,
    description: WALLET.description as string,
  })!.confidence;

  it('is off unless the feed asks for suggestions', () => {
    expect(validate(WALLET, {}).issues).toEqual([]);
  });

  it('warns with the suggested id, path and confidence, without applying it', () => {
    const result = validate(WALLET, { suggestCategories: true });
    expect(result.issues).toHaveLength(1);
    const [found] = result.issues;
    expect(found).toMatchObject({
      code: 'GOOGLE_PRODUCT_CATEGORY_SUGGESTED',
      severity: 'WARNING',
      attribute: 'google_product_category',
      value: null,
      itemId: 'W-1',
    });
    expect(found.message).toContain(`suggested 2668 "${WALLETS}" with confidence ${confidence.toFixed(2)}`);
    expect(found.message).toContain('not applied');
    expect(result.product?.googleProductCategoryId).toBeNull();
    expect(result.product?.presentAttributes).not.toContain('google_product_category');
  });

  it('applies a suggestion above the feed threshold, and not one below it', () => {
    const above = validate(WALLET, { acceptCategorySuggestionsAbove: confidence - 0.01 });
    expect(above.product).toMatchObject({ googleProductCategoryId: 2668, googleProductCategoryPath: WALLETS });
    expect(above.product?.presentAttributes).toEqual([
      'id',
      'title',
      'description',
      'link',
      'image_link',
      'availability',
      'price',
      'brand',
      'gtin',
      'google_product_category',
    ]);
    expect(above.issues[0].message).toContain('applied as its google_product_category');

    const below = validate(WALLET, { acceptCategorySuggestionsAbove: confidence });
    expect(below.product?.googleProductCategoryId).toBeNull();
    expect(below.issues[0].message).toContain(`not applied (the feed accepts suggestions above ${confidence})`);
  });

  it('suggests for a category that is not in the taxonomy, beside UNKNOWN_GOOGLE_PRODUCT_CATEGORY', () => {
    const result = validate({ ...WALLET, google_product_category: '99999999' }, { suggestCategories: true });
    expect(result.issues.map((i) => i.code)).toEqual([
      'UNKNOWN_GOOGLE_PRODUCT_CATEGORY',
      'GOOGLE_PRODUCT_CATEGORY_SUGGESTED',
    ]);
    expect(result.issues[1].value).toBe('99999999');
    expect(result.issues[1].message).toContain('"99999999" is not in the taxonomy; suggested 2668');
  });

  it('leaves an item with a valid category alone', () => {
    const result = validate({ ...WALLET, google_product_category: '2668' }, { acceptCategorySuggestionsAbove: 0 });
    expect(result.issues).toEqual([]);
  });

  it('refuses a threshold outside 0–1', () => {
    expect(() => new ItemValidator({ mode: 'REPLACE', acceptCategorySuggestionsAbove: 1.5 })).toThrow(RangeError);
  });
});
