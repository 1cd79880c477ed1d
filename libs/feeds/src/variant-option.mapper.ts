import { CUSTOM_PREFIX } from '@brandshelf/catalog-rules';

/** Option names shops use for variant axes, in the languages our brands sell in (best effort). */
const OPTION_WORDS: Record<string, readonly string[]> = {
  color: [
    'color',
    'colour',
    'colors',
    'colours',
    'farbe',
    'färg',
    'farg',
    'farve',
    'farge',
    'couleur',
    'colore',
    'kleur',
    'väri',
    'kolor',
    'cor',
    'barva',
    'szín',
    'culoare',
    'renk',
    'цвет',
    'kolors',
  ],
  size: [
    'size',
    'sizes',
    'storlek',
    'größe',
    'grösse',
    'groesse',
    'taille',
    'taglia',
    'talla',
    'maat',
    'størrelse',
    'storrelse',
    'koko',
    'rozmiar',
    'tamanho',
    'velikost',
    'méret',
    'mărime',
    'beden',
    'размер',
  ],
  material: ['material', 'materiale', 'materiaal', 'matériau', 'materiau', 'materiał'],
  pattern: ['pattern', 'muster', 'mönster', 'motif'],
  gender: ['gender', 'geschlecht', 'kön'],
};

/** Compound names ending in these still name the axis: "Frame Size", "Ramstorlek", "Lens Colour". */
const SUFFIX_WORDS: Record<string, readonly string[]> = {
  color: ['color', 'colour', 'farbe', 'färg'],
  size: ['size', 'storlek', 'größe', 'groesse', 'størrelse'],
};

const EXACT = new Map<string, string>();
for (const [attribute, words] of Object.entries(OPTION_WORDS)) for (const word of words) EXACT.set(word, attribute);

/** The attribute a variant option (Shopify option, WooCommerce attribute, Wix/Vendure option group) maps to. */
export function optionAttribute(name: string): string {
  const key = name.trim().toLowerCase();
  const exact = EXACT.get(key);
  if (exact) return exact;
  for (const [attribute, words] of Object.entries(SUFFIX_WORDS)) {
    if (words.some((word) => key.length > word.length && key.endsWith(word))) return attribute;
  }
  return `${CUSTOM_PREFIX}${name.trim()}`;
}
