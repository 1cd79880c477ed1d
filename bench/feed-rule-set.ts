import type { FeedRule } from '@brandshelf/feed-rules';

/** For bench:feed-rules and bench:ingest (items from bench/feed-generator.ts). */
/** Twenty rules of the kinds brands write: links, labels, clean-up, mapping, one rare exclusion. */
export const BENCH_RULES: FeedRule[] = [
  {
    id: 'link',
    name: 'Link from group',
    when: { attribute: 'link', operator: 'IS_EMPTY' },
    actions: [{ type: 'SET', attribute: 'link', template: 'https://shop.example.com/products/{item_group_id}' }],
  },
  {
    id: 'runner',
    name: 'Runner titles',
    when: { attribute: 'title', operator: 'CONTAINS', value: 'runner' },
    actions: [{ type: 'APPEND', attribute: 'title', value: ' - Running Shoe' }],
  },
  {
    id: 'house',
    name: 'House brands',
    when: { attribute: 'brand', operator: 'EQUALS', values: ['Acme', 'Northwind'] },
    actions: [{ type: 'SET_CUSTOM_LABEL', index: 0, value: 'house brand' }],
  },
  {
    id: 'cheap',
    name: 'Under 20',
    when: { attribute: 'price', operator: 'LESS_THAN', value: '20 USD' },
    actions: [{ type: 'SET_CUSTOM_LABEL', index: 1, value: 'under 20' }],
  },
  {
    id: 'premium',
    name: 'Premium',
    when: { attribute: 'price', operator: 'GREATER_OR_EQUAL', value: '150' },
    actions: [{ type: 'SET_CUSTOM_LABEL', index: 1, value: 'premium' }],
  },
  {
    id: 'sale',
    name: 'On sale',
    when: { attribute: 'sale_price', operator: 'IS_NOT_EMPTY' },
    actions: [{ type: 'SET_CUSTOM_LABEL', index: 2, value: 'on sale' }],
  },
  { id: 'titlecase', name: 'Title case', actions: [{ type: 'TITLECASE', attribute: 'title' }] },
  { id: 'truncate', name: 'Short titles', actions: [{ type: 'TRUNCATE', attribute: 'title', maxLength: 70 }] },
  {
    id: 'spaces',
    name: 'Collapse spaces',
    actions: [{ type: 'REPLACE', attribute: 'description', pattern: '\\s{2,}|;\\s', replacement: ' ' }],
  },
  {
    id: 'outerwear',
    name: 'Outerwear',
    when: { attribute: 'title', operator: 'MATCHES', value: '\\b(Hoodie|Jacket)\\b' },
    actions: [{ type: 'SET', attribute: 'product_type', value: 'Apparel & Accessories > Clothing > Outerwear' }],
  },
  {
    id: 'colour-family',
    name: 'Colour family',
    actions: [
      {
        type: 'MAP',
        attribute: 'color',
        targetAttribute: 'custom:colour_family',
        table: { Black: 'dark', Navy: 'dark', Olive: 'earth', Sand: 'earth', White: 'light' },
        defaultValue: 'bright',
      },
    ],
  },
  {
    id: 'category',
    name: 'Category from type',
    actions: [
      {
        type: 'MAP',
        attribute: 'product_type',
        targetAttribute: 'google_product_category',
        table: { 'Apparel & Accessories > Clothing': '1604', 'Apparel & Accessories > Clothing > Outerwear': '203' },
      },
    ],
  },
  {
    id: 'samples',
    name: 'Drop samples',
    when: { attribute: 'id', operator: 'ENDS_WITH', value: '-9999' },
    actions: [{ type: 'EXCLUDE' }],
  },
  {
    id: 'condition',
    name: 'New by default',
    when: { attribute: 'condition', operator: 'IS_EMPTY' },
    actions: [{ type: 'SET', attribute: 'condition', value: 'new' }],
  },
  {
    id: 'adult',
    name: 'Unisex is adult',
    when: { attribute: 'gender', operator: 'EQUALS', value: 'unisex' },
    actions: [{ type: 'SET', attribute: 'age_group', value: 'adult' }],
  },
  {
    id: 'seasonal',
    name: 'Seasonal colours',
    when: {
      any: [
        { attribute: 'color', operator: 'EQUALS', value: 'red' },
        {
          all: [
            { attribute: 'color', operator: 'EQUALS', value: 'navy' },
            { attribute: 'size', operator: 'NOT_EQUALS', value: 'XS' },
          ],
        },
      ],
    },
    actions: [{ type: 'SET_CUSTOM_LABEL', index: 3, value: 'seasonal' }],
  },
  { id: 'mpn', name: 'MPN upper case', actions: [{ type: 'UPPERCASE', attribute: 'mpn' }] },
  {
    id: 'brand-title',
    name: 'Brand in title',
    when: { attribute: 'brand', operator: 'IS_NOT_EMPTY' },
    actions: [{ type: 'SET', attribute: 'title', template: '{brand} {title}' }],
  },
  {
    id: 'size',
    name: 'Size names',
    when: { attribute: 'size', operator: 'STARTS_WITH', value: 'X' },
    actions: [{ type: 'MAP', attribute: 'size', table: { XS: 'Extra Small', XL: 'Extra Large' } }],
  },
  {
    id: 'eco',
    name: 'Eco',
    when: { attribute: 'description', operator: 'CONTAINS', values: ['recycled', 'organic'] },
    actions: [{ type: 'SET_CUSTOM_LABEL', index: 4, value: 'eco' }],
  },
];
