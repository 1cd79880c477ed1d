/**
 * Twenty representative feed rules over the bench feed's columns (bench/feed-generator.ts), the kind a brand sets:
 * cleanup, templates, lookups, labels, comparisons on prices, a regular expression, and a rare exclusion. Used by
 * bench:ingest (ingest throughput with and without them) and its preview figure.
 */
export const BENCH_RULES = [
  { id: 'r01', name: 'Trim long titles', actions: [{ type: 'TRUNCATE', attribute: 'title', maxLength: 150 }] },
  { id: 'r02', name: 'Title case titles', actions: [{ type: 'TITLECASE', attribute: 'title' }] },
  {
    id: 'r03',
    name: 'Brand in capitals for Acme',
    when: { attribute: 'brand', operator: 'EQUALS', value: 'Acme' },
    actions: [{ type: 'UPPERCASE', attribute: 'brand' }],
  },
  {
    id: 'r04',
    name: 'Map product types',
    actions: [
      {
        type: 'MAP',
        attribute: 'product_type',
        targetAttribute: 'custom_label_0',
        table: { Apparel: 'clothing', Home: 'home', Outdoor: 'outdoor', Kitchen: 'home' },
        defaultValue: 'other',
      },
    ],
  },
  {
    id: 'r05',
    name: 'Premium label',
    when: { attribute: 'price', operator: 'GREATER_OR_EQUAL', value: '150' },
    actions: [{ type: 'SET_CUSTOM_LABEL', index: 1, value: 'premium' }],
  },
  {
    id: 'r06',
    name: 'Budget label',
    when: { attribute: 'price', operator: 'LESS_THAN', value: '20' },
    actions: [{ type: 'SET_CUSTOM_LABEL', index: 1, value: 'budget' }],
  },
  {
    id: 'r07',
    name: 'Sale label',
    when: { attribute: 'sale_price', operator: 'IS_NOT_EMPTY' },
    actions: [{ type: 'SET_CUSTOM_LABEL', index: 2, value: 'on sale' }],
  },
  {
    id: 'r08',
    name: 'Group label',
    actions: [{ type: 'SET_CUSTOM_LABEL', index: 3, template: '{brand}-{item_group_id}' }],
  },
  {
    id: 'r09',
    name: 'Campaign link',
    actions: [{ type: 'SET', attribute: 'link', template: 'https://shop.example.com/p/{id}?utm_source=brandshelf' }],
  },
  {
    id: 'r10',
    name: 'Machine washable',
    actions: [
      { type: 'REPLACE', attribute: 'description', pattern: 'Machine washable', replacement: 'Machine-washable' },
    ],
  },
  {
    id: 'r11',
    name: 'Recycled note',
    when: { attribute: 'description', operator: 'CONTAINS', value: 'recycled' },
    actions: [{ type: 'APPEND', attribute: 'title', value: ' (recycled)' }],
  },
  {
    id: 'r12',
    name: 'Vintage prefix',
    when: { attribute: 'title', operator: 'STARTS_WITH', value: 'Vintage' },
    actions: [{ type: 'PREPEND', attribute: 'description', value: 'Vintage style. ' }],
  },
  {
    id: 'r13',
    name: 'Runners are shoes',
    when: { attribute: 'title', operator: 'MATCHES', value: 'Runner|Sneaker' },
    actions: [{ type: 'SET', attribute: 'google_product_category', value: '187' }],
  },
  {
    id: 'r14',
    name: 'Lowercase colours',
    actions: [{ type: 'LOWERCASE', attribute: 'color' }],
  },
  {
    id: 'r15',
    name: 'Unisex default',
    when: { attribute: 'gender', operator: 'IS_EMPTY' },
    actions: [{ type: 'SET', attribute: 'gender', value: 'unisex' }],
  },
  {
    id: 'r16',
    name: 'Large sizes',
    when: {
      any: [
        { attribute: 'size', operator: 'EQUALS', values: ['XL', 'XXL'] },
        { attribute: 'size', operator: 'ENDS_WITH', value: 'L' },
      ],
    },
    actions: [{ type: 'SET_CUSTOM_LABEL', index: 4, value: 'large' }],
  },
  {
    id: 'r17',
    name: 'Preorder note',
    when: {
      all: [
        { attribute: 'availability', operator: 'EQUALS', value: 'preorder' },
        { attribute: 'price', operator: 'GREATER_THAN', value: '50' },
      ],
    },
    actions: [{ type: 'APPEND', attribute: 'description', value: ' Ships when available.' }],
  },
  {
    id: 'r18',
    name: 'No adult age group',
    when: { attribute: 'age_group', operator: 'NOT_EQUALS', value: 'adult' },
    actions: [{ type: 'SET', attribute: 'age_group', value: 'adult' }],
  },
  {
    id: 'r19',
    name: 'Tidy MPN',
    actions: [{ type: 'REPLACE', attribute: 'mpn', pattern: '^MPN-', replacement: 'M' }],
  },
  {
    id: 'r20',
    name: 'Drop test items',
    when: { attribute: 'title', operator: 'CONTAINS', value: 'DO NOT SELL' },
    actions: [{ type: 'EXCLUDE' }],
  },
];
