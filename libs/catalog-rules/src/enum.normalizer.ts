// The normalized values, defined here once: the product model, search filters and the GraphQL enums derive from them.
export const AVAILABILITIES = ['IN_STOCK', 'OUT_OF_STOCK', 'PREORDER', 'BACKORDER'] as const;
export type Availability = (typeof AVAILABILITIES)[number];
export const CONDITIONS = ['NEW', 'REFURBISHED', 'USED'] as const;
export type Condition = (typeof CONDITIONS)[number];
export const GENDERS = ['MALE', 'FEMALE', 'UNISEX'] as const;
export type Gender = (typeof GENDERS)[number];
export const AGE_GROUPS = ['NEWBORN', 'INFANT', 'TODDLER', 'KIDS', 'ADULT'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

// Feeds write schema.org values as URLs: https://schema.org/InStock, http://schema.org/NewCondition.
const SCHEMA_ORG = /^https?:\/\/(?:www\.)?schema\.org\//;
// Case, spaces, underscores, dashes, dots and apostrophes never change the meaning: "In-Stock" = "in_stock".
const NOISE = /[\s_\-.'’]+/g;
const WHOLE_NUMBER = /^-?\d+$/;

/** The lookup key for an enum value: lower case, schema.org prefix and separators removed. */
export function enumKey(raw: string): string {
  let key = raw.trim().toLowerCase();
  if (key.startsWith('http')) key = key.replace(SCHEMA_ORG, '');
  return key.replace(NOISE, '');
}

/** Synonym table with a memo of raw values seen, since a feed repeats the same few spellings on every item. */
class SynonymTable<T> {
  private readonly byKey = new Map<string, T>();
  private readonly byRaw = new Map<string, T | null>();

  constructor(entries: Record<string, readonly string[]>) {
    for (const [value, synonyms] of Object.entries(entries)) {
      for (const synonym of synonyms) this.byKey.set(enumKey(synonym), value as T);
    }
  }

  get(raw: string): T | null {
    let hit = this.byRaw.get(raw);
    if (hit === undefined) {
      hit = this.byKey.get(enumKey(raw)) ?? null;
      if (this.byRaw.size >= 1000) this.byRaw.clear();
      this.byRaw.set(raw, hit);
    }
    return hit;
  }
}

function table<T>(entries: Record<string, readonly string[]>): SynonymTable<T> {
  return new SynonymTable<T>(entries);
}

// prettier-ignore
const AVAILABILITY = table<Availability>({
  IN_STOCK: [
    'in_stock', 'instock', 'available', 'available for order', 'in store only', 'online only', 'limited availability',
    'yes', 'true', 'y', 'i lager', 'finns i lager', 'på lager', 'lagervara', 'auf lager', 'lieferbar', 'verfügbar',
    'en stock', 'disponible', 'op voorraad', 'disponibile',
  ],
  OUT_OF_STOCK: [
    'out_of_stock', 'outofstock', 'out of stock', 'sold out', 'soldout', 'discontinued', 'unavailable', 'not available',
    'no', 'false', 'n', 'slut i lager', 'slutsåld', 'ej i lager', 'tillfälligt slut', 'utsolgt', 'udsolgt',
    'ikke på lager', 'nicht lieferbar', 'ausverkauft', 'nicht verfügbar', 'rupture de stock', 'en rupture de stock',
    'épuisé', 'agotado', 'niet op voorraad', 'esaurito',
  ],
  PREORDER: [
    'preorder', 'pre-order', 'pre order', 'presale', 'pre-sale', 'förbeställning', 'förhandsbokning', 'vorbestellung',
    'précommande',
  ],
  BACKORDER: [
    'backorder', 'back order', 'back-order', 'backordered', 'made to order', 'beställningsvara', 'restorder',
    'nachbestellung', 'en réapprovisionnement',
  ],
});

// prettier-ignore
const CONDITION = table<Condition>({
  NEW: [
    'new', 'newcondition', 'brand new', 'new with tags', 'new with box', 'ny', 'neu', 'neuf', 'nuevo', 'nieuw', 'nuovo',
  ],
  REFURBISHED: [
    'refurbished', 'refurbishedcondition', 'renewed', 'reconditioned', 'remanufactured', 'certified refurbished',
    'factory refurbished', 'renoverad', 'generalüberholt', 'reconditionné', 'reacondicionado',
  ],
  USED: [
    'used', 'usedcondition', 'damagedcondition', 'second hand', 'secondhand', 'pre-owned', 'preowned', 'pre-loved',
    'preloved', 'vintage', 'open box', 'like new', 'begagnad', 'brugt', 'brukt', 'gebraucht', 'occasion', 'usado',
    'gebruikt', 'usato',
  ],
});

// prettier-ignore
const GENDER = table<Gender>({
  MALE: [
    'male', 'm', 'man', 'men', 'mens', "men's", 'boy', 'boys', 'herr', 'herrar', 'herre', 'herren', 'homme', 'hombre',
    'heren',
  ],
  FEMALE: [
    'female', 'f', 'woman', 'women', 'womens', "women's", 'lady', 'ladies', 'girl', 'girls', 'dam', 'damer', 'dame',
    'damen', 'femme', 'mujer', 'dames',
  ],
  UNISEX: [
    'unisex', 'u', 'all', 'both', 'any', 'neutral', 'gender neutral', 'herr/dam', 'dam/herr', 'men/women', 'women/men',
  ],
});

// prettier-ignore
const AGE_GROUP = table<AgeGroup>({
  NEWBORN: [
    'newborn', 'new born', 'nyfödd', 'neugeborene', '0-3 months',
  ],
  INFANT: [
    'infant', 'infants', 'baby', 'babies', 'bebis', 'spädbarn', '3-12 months',
  ],
  TODDLER: [
    'toddler', 'toddlers', 'småbarn', 'kleinkind', '1-5 years',
  ],
  KIDS: [
    'kids', 'kid', 'child', 'children', 'youth', 'junior', 'juniors', 'teen', 'teens', 'barn', 'kinder', 'enfant',
    'enfants',
  ],
  ADULT: [
    'adult', 'adults', 'grown-up', 'grownup', 'vuxen', 'vuxna', 'erwachsene', 'adulte', 'adulto',
  ],
});

// prettier-ignore
const BOOLEAN = table<'true' | 'false'>({
  true: [
    'yes', 'true', 'y', '1', 'ja', 'oui', 'si', 'sí',
  ],
  false: [
    'no', 'false', 'n', '0', 'nej', 'nein', 'non', 'nee',
  ],
});

/** in_stock / out_of_stock / preorder / backorder from the many ways feeds say them; null when unrecognized. */
export function normalizeAvailability(raw: string): Availability | null {
  const hit = AVAILABILITY.get(raw);
  if (hit) return hit;
  // A stock count in the availability column (its `stock` alias invites it): more than 0 is in stock.
  const trimmed = raw.trim();
  if (WHOLE_NUMBER.test(trimmed)) return Number(trimmed) > 0 ? 'IN_STOCK' : 'OUT_OF_STOCK';
  return null;
}

export function normalizeCondition(raw: string): Condition | null {
  return CONDITION.get(raw);
}

export function normalizeGender(raw: string): Gender | null {
  return GENDER.get(raw);
}

export function normalizeAgeGroup(raw: string): AgeGroup | null {
  return AGE_GROUP.get(raw);
}

/** yes/no in the languages feeds are written in; null when it is neither. */
export function normalizeYesNo(raw: string): boolean | null {
  const hit = BOOLEAN.get(raw);
  return hit === null ? null : hit === 'true';
}
