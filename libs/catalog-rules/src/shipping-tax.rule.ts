import { finding, type RuleCode, type RuleFinding } from './code.catalog.js';
import { COUNTRY_CODE_FIXES, countryCode } from './country.table.js';
import { formatPrice, parsePrice } from './price.parser.js';

/**
 * Merchant Center's `shipping` and `tax` groups. A text feed writes each as colon-separated parts in a fixed order,
 * several groups separated by commas (`US:CA:Overnight:16.00 USD, US::Standard:4.95 USD`), empty parts keeping their
 * colons, or in the order its column header names (`shipping(country:postal_code:price)`, readGroupHeader); an XML
 * feed writes each group as an element with one child per part (`<g:shipping><g:country>US</g:country>
 * …</g:shipping>`), repeated. A bad group is left out with a warning naming the part; the others are kept.
 */

/** One shipping option of an item. Keys are in sorted order (canonical JSON); parts not given are absent. */
export interface ShippingEntry {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  currency: string;
  locationGroupName?: string;
  locationId?: string;
  maxHandlingTime?: number;
  maxTransitTime?: number;
  minHandlingTime?: number;
  minTransitTime?: number;
  postalCode?: string;
  /** Integer in the currency's minor unit; 0 is free shipping. */
  priceMinor: number;
  region?: string;
  service?: string;
}

/** One tax rule of an item. Keys in sorted order. */
export interface TaxEntry {
  country: string;
  locationId?: string;
  postalCode?: string;
  /** Percent of the price, 0–100 (8.25 is 8.25 %). */
  rate: number;
  region?: string;
  /** Whether shipping is taxed too (tax_ship; no when not given). */
  taxShip: boolean;
}

/** Parts in text-form order; the XML form may also give the others named here. */
export const SHIPPING_TEXT_PARTS = [
  'country',
  'region',
  'service',
  'price',
  'min_handling_time',
  'max_handling_time',
  'min_transit_time',
  'max_transit_time',
] as const;
export const SHIPPING_PARTS = [...SHIPPING_TEXT_PARTS, 'postal_code', 'location_id', 'location_group_name'] as const;
export const TAX_TEXT_PARTS = ['country', 'region', 'rate', 'tax_ship'] as const;
export const TAX_PARTS = [...TAX_TEXT_PARTS, 'postal_code', 'location_id'] as const;

/**
 * An XML group as one field value: a reader hands it over in this form so that its parts stay together and none
 * is taken for a text-form separator. U+001F and U+001E cannot occur in XML 1.0 text, so no element's text looks
 * like this.
 */
const GROUP_START = '\u001F';
const PART_VALUE = '\u001E';

export function encodeAttributeGroup(parts: ReadonlyArray<readonly [string, string]>): string {
  let out = '';
  for (const [name, value] of parts) out += `${GROUP_START}${name}${PART_VALUE}${value}`;
  return out;
}

/**
 * The pseudo-part a header-form group (encodeHeaderGroups) carries besides its named parts: the group as written in
 * the cell, to show it and count its parts. No XML element is named "" (so no XML group has it).
 */
const AS_WRITTEN = '';

function decodeAttributeGroup(encoded: string): Array<[string, string]> {
  const parts: Array<[string, string]> = [];
  for (const piece of encoded.split(GROUP_START)) {
    if (!piece) continue;
    const at = piece.indexOf(PART_VALUE);
    parts.push(at < 0 ? [piece, ''] : [piece.slice(0, at), piece.slice(at + 1)]);
  }
  return parts;
}

/** A finding on one group, with the group as the issue's value (as written, or its XML parts as name=value). */
export interface GroupFinding {
  finding: RuleFinding;
  value: string;
}

export interface GroupCheck<T> {
  entries: T[];
  findings: GroupFinding[];
}

/**
 * One group: its parts by name, how to show it, and where it is among the item's groups (1-based). `text`: a plain
 * column's cell (parts in the fixed order); `header`: a cell of a column whose header names the parts (`names`, in
 * that order); `xml`: an element's children.
 */
interface Group {
  parts: Map<string, string>;
  shown: string;
  number: number;
  form: 'text' | 'header' | 'xml';
  /** Text and header form: how many colon-separated parts it had. */
  count: number;
  /** Header form: the parts its column names, in order. */
  names?: readonly string[];
}

const WHOLE_DAYS = /^\d{1,3}$/;
const RATE = /^\d{1,3}(?:\.\d+)?$/;
const YES_NO: ReadonlyMap<string, boolean> = new Map([
  ['y', true],
  ['yes', true],
  ['true', true],
  ['n', false],
  ['no', false],
  ['false', false],
]);

/** The groups of a field value (a list when the attribute was repeated), in order. */
function groupsOf(value: unknown, textParts: readonly string[]): Group[] {
  const groups: Group[] = [];
  const add = (text: string): void => {
    if (text.charCodeAt(0) === 31) {
      const parts = decodeAttributeGroup(text);
      const map = new Map<string, string>();
      for (const [name, part] of parts) if (name !== AS_WRITTEN && !map.has(name)) map.set(name, part.trim());
      const written = parts.find(([name]) => name === AS_WRITTEN);
      if (written) {
        const names = parts.filter(([name]) => name !== AS_WRITTEN).map(([name]) => name);
        const count = written[1].split(':').length;
        groups.push({ parts: map, shown: written[1], number: groups.length + 1, form: 'header', count, names });
        return;
      }
      const shown = parts.map(([name, part]) => `${name}=${part.trim()}`).join(', ');
      groups.push({ parts: map, shown, number: groups.length + 1, form: 'xml', count: parts.length });
      return;
    }
    for (const piece of splitGroups(text)) {
      const split = piece.split(':');
      const map = new Map<string, string>();
      for (let i = 0; i < split.length && i < textParts.length; i++) map.set(textParts[i], split[i].trim());
      groups.push({ parts: map, shown: piece, number: groups.length + 1, form: 'text', count: split.length });
    }
  };
  if (typeof value === 'string') add(value);
  else if (Array.isArray(value)) for (const element of value) if (typeof element === 'string') add(element);
  return groups;
}

/**
 * Groups separated by commas. A piece with fewer than three colons is no group of its own but the rest of the one
 * before, cut at a decimal comma ("DE::Standard:4,95 EUR"), so it is joined back.
 */
function splitGroups(text: string): string[] {
  if (!text.includes(',')) return text.trim() ? [text.trim()] : [];
  const out: string[] = [];
  for (const piece of text.split(',')) {
    let colons = 0;
    for (let i = piece.indexOf(':'); i >= 0; i = piece.indexOf(':', i + 1)) colons++;
    if (colons < 3 && out.length) out[out.length - 1] += `,${piece}`;
    else out.push(piece);
  }
  return out.map((piece) => piece.trim()).filter((piece) => piece.length > 0);
}

function colonsIn(piece: string): number {
  let colons = 0;
  for (let i = piece.indexOf(':'); i >= 0; i = piece.indexOf(':', i + 1)) colons++;
  return colons;
}

/**
 * A header-form cell's groups (its column names `parts`), each encoded as one value with the named parts
 * (encodeAttributeGroup) and the group as written, for parseShipping / parseTax. Groups are separated by commas; as
 * in the text form, a piece with fewer colons than the header's parts need is the rest of the one before, cut at a
 * decimal or thousands comma ("DE:4,95 EUR", "US:1,234.00 USD"), and is joined back, unless that would give the
 * one before more parts than the header names (then it is a group of its own, with too few parts).
 */
export function encodeHeaderGroups(parts: readonly string[], cell: string): string[] {
  const need = parts.length - 1;
  const pieces: string[] = [];
  let lastColons = 0;
  for (const piece of cell.split(',')) {
    if (!piece.trim()) continue;
    const colons = colonsIn(piece);
    if (pieces.length && colons < need && lastColons + colons <= need) {
      pieces[pieces.length - 1] += `,${piece}`;
      lastColons += colons;
    } else {
      pieces.push(piece);
      lastColons = colons;
    }
  }
  const out: string[] = [];
  for (const raw of pieces) {
    const written = raw.trim();
    if (!written) continue;
    const values = written.split(':');
    const group: Array<[string, string]> = [[AS_WRITTEN, written]];
    parts.forEach((name, i) => group.push([name, (values[i] ?? '').trim()]));
    out.push(encodeAttributeGroup(group));
  }
  return out;
}

/** A column header in Merchant Center's sub-attribute form, `shipping(country:region:service:price)`. */
export type GroupHeader =
  { attribute: 'shipping' | 'tax'; parts: string[] } | { attribute: 'shipping' | 'tax'; problem: string; hint: string };

const SPELLINGS: Record<'shipping' | 'tax', ReadonlyMap<string, string>> = {
  shipping: new Map(SHIPPING_PARTS.map((name) => [name.replace(/_/g, ''), name])),
  tax: new Map(TAX_PARTS.map((name) => [name.replace(/_/g, ''), name])),
};

/**
 * The attribute and parts a `shipping(…)` or `tax(…)` header names (case, spaces, a `g:` prefix and Google's
 * spellings of the parts, `postal code`, `Postal_Code`, `postalCode`, allowed); a problem when it names a part the
 * attribute does not have, names one twice, or leaves out country, or shipping's price or tax's rate (its entries
 * could never be read); null when the header is not of that form.
 */
export function readGroupHeader(header: string): GroupHeader | null {
  // Cut by hand, not by one regular expression: a header is feed input, up to a cell's size.
  const text = header.replace(/^\uFEFF/, '').trim();
  const open = text.indexOf('(');
  if (open < 0 || !text.endsWith(')')) return null;
  const inner = text.slice(open + 1, -1);
  if (inner.includes('(') || inner.includes(')')) return null;
  const name = text
    .slice(0, open)
    .replace(/^g\s*:/i, '')
    .toLowerCase()
    .replace(/[\s_.-]+/g, '');
  if (name !== 'shipping' && name !== 'tax') return null;
  const attribute = name;
  const known = attribute === 'shipping' ? SHIPPING_PARTS : TAX_PARTS;
  const example =
    attribute === 'shipping' ? 'shipping(country:region:service:price)' : 'tax(country:region:rate:tax_ship)';
  const spelled = SPELLINGS[attribute];
  const parts: string[] = [];
  for (const raw of inner.split(':')) {
    const written = raw.trim();
    const part = spelled.get(written.toLowerCase().replace(/[\s_.-]+/g, ''));
    if (part === undefined) {
      return {
        attribute,
        problem: written
          ? `names "${written}", which is no part of ${attribute}`
          : `has an empty part name (two colons in a row, or one at an end)`,
        hint: `Name only parts of ${attribute}, separated by colons: ${known.join(', ')}; e.g. ${example}.`,
      };
    }
    if (parts.includes(part)) {
      return {
        attribute,
        problem: `names ${part} twice`,
        hint: `Name each part of ${attribute} once, in the order of the values in its cells, e.g. ${example}.`,
      };
    }
    parts.push(part);
  }
  const required = attribute === 'shipping' ? ['country', 'price'] : ['country', 'rate'];
  const missing = required.filter((part) => !parts.includes(part));
  if (missing.length) {
    return {
      attribute,
      problem: `does not name ${missing.join(' or ')}, which every ${attribute} entry needs`,
      hint: `Add ${missing.join(' and ')} to the parts the header names (and their values to its cells), e.g. ${example}.`,
    };
  }
  return { attribute, parts };
}

/** The part's value, or null when it was not given or left empty. */
function part(group: Group, name: string): string | null {
  const value = group.parts.get(name);
  return value === undefined || value === '' ? null : value;
}

class GroupProblem {
  constructor(
    readonly message: string,
    readonly hint: string,
  ) {}
}

function where(attribute: string, group: Group): string {
  if (group.form === 'xml') return `<g:${attribute}> element ${group.number}`;
  const column = group.form === 'header' ? `${attribute}(${group.names!.join(':')})` : attribute;
  return `${column} group ${group.number} "${group.shown}"`;
}

const SAMPLE_PARTS: Readonly<Record<string, string>> = {
  country: 'US',
  region: 'CA',
  postal_code: '94043',
  location_id: '21137',
  location_group_name: 'West Coast',
  service: 'Standard',
  price: '4.95 USD',
  min_handling_time: '1',
  max_handling_time: '2',
  min_transit_time: '3',
  max_transit_time: '5',
  rate: '8.25',
  tax_ship: 'y',
};

/**
 * An entry to show in a hint, in the group's order: the text form's (`text`, also shown for an XML group) or, for a
 * header-form group, its column's parts with the sample values and `over` (e.g. the entry's own country).
 */
function sample(group: Group, text: string, over: Readonly<Record<string, string>> = {}): string {
  if (group.form !== 'header') return text;
  return group.names!.map((name) => over[name] ?? SAMPLE_PARTS[name] ?? '').join(':');
}

function problem(code: RuleCode, attribute: string, group: Group, issue: GroupProblem): GroupFinding {
  return {
    finding: finding(
      code,
      `${where(attribute, group)}: ${issue.message} That ${attribute} entry was ignored.`,
      issue.hint,
    ),
    value: group.shown,
  };
}

function readCountry(group: Group, text: string): string | GroupProblem {
  const example = sample(group, text);
  const raw = part(group, 'country');
  if (raw === null) {
    return new GroupProblem(
      'country is missing.',
      group.form === 'header'
        ? `Give the two-letter country code where the column header names country: ${example}.`
        : `Start the entry with the two-letter country code: ${example}.`,
    );
  }
  const code = countryCode(raw);
  if (code !== null) return code;
  const fix = COUNTRY_CODE_FIXES[raw.trim().toUpperCase()];
  return new GroupProblem(
    `country "${raw}" is not an ISO 3166-1 alpha-2 country code.`,
    fix
      ? `Write ${fix} instead of ${raw.trim()}: ${group.form === 'header' ? sample(group, text, { country: fix }) : example.replace(/^[A-Z]{2}/, fix)}.`
      : `Write the two-letter ISO 3166-1 code of the country, e.g. US, DE or SE: ${example}.`,
  );
}

function wrongCount(attribute: string, group: Group, textParts: readonly string[], min: number): GroupProblem | null {
  if (group.form === 'xml') return null;
  if (group.form === 'header') {
    const names = group.names!;
    if (group.count === names.length) return null;
    return new GroupProblem(
      `it has ${group.count} colon-separated part${group.count === 1 ? '' : 's'}; its column names ${names.length} (${names.join(':')}).`,
      `Write the parts the column header names, in its order, e.g. ${sample(group, '')}; keep the colons of parts you leave empty, and separate several entries with commas.`,
    );
  }
  if (group.count >= min && group.count <= textParts.length) return null;
  const order = textParts.slice(0, Math.max(min, Math.min(group.count, textParts.length))).join(':');
  return new GroupProblem(
    `it has ${group.count} colon-separated part${group.count === 1 ? '' : 's'}; ${attribute} takes ${min === textParts.length ? min : `${min} to ${textParts.length}`} (${order}).`,
    attribute === 'shipping'
      ? 'Write country:region:service:price and keep the colons of parts you leave empty, e.g. US::Standard:4.95 USD; separate several entries with commas.'
      : 'Write country:region:rate:tax_ship and keep the colons of parts you leave empty, e.g. US:CA:8.25:y; separate several entries with commas.',
  );
}

/**
 * The most shipping or tax entries a product keeps: the API prices a product's lists by what they can hold, and a
 * product's own shipping overrides a few countries and services (the account's settings give the rest). Entries
 * after these are left out with an INVALID_SHIPPING / INVALID_TAX warning naming the first one left out.
 */
export const MAX_SHIPPING_ENTRIES = 20;
export const MAX_TAX_ENTRIES = 20;

/** The finding for the first entry past a product's `max` (the later ones add nothing to say). */
function tooMany(code: RuleCode, attribute: string, group: Group, max: number): GroupFinding {
  return {
    finding: finding(
      code,
      `${where(attribute, group)}: the product already has ${max} ${attribute} entries, the most kept; it and the entries after it were ignored.`,
      `Give at most ${max} ${attribute} entries a product (the countries and services that differ from your account's ${attribute} settings in Merchant Center); set the rest there.`,
    ),
    value: group.shown,
  };
}

/**
 * `shipping` of one item: the valid entries and a finding per bad one. A bare-number price takes `currency` (the
 * item's price currency, else the feed's default), as sale_price does.
 */
export function parseShipping(value: unknown, currency: string | null): GroupCheck<ShippingEntry> {
  const entries: ShippingEntry[] = [];
  const findings: GroupFinding[] = [];
  let valid = 0;
  for (const group of groupsOf(value, SHIPPING_TEXT_PARTS)) {
    const result = readShipping(group, currency);
    if (result instanceof GroupProblem) findings.push(problem('INVALID_SHIPPING', 'shipping', group, result));
    else if (++valid <= MAX_SHIPPING_ENTRIES) {
      entries.push(result.entry);
      if (result.assumed) findings.push({ finding: result.assumed, value: group.shown });
    } else if (valid === MAX_SHIPPING_ENTRIES + 1) {
      findings.push(tooMany('INVALID_SHIPPING', 'shipping', group, MAX_SHIPPING_ENTRIES));
    }
  }
  return { entries, findings };
}

function readShipping(
  group: Group,
  defaultCurrency: string | null,
): { entry: ShippingEntry; assumed?: RuleFinding } | GroupProblem {
  const count = wrongCount('shipping', group, SHIPPING_TEXT_PARTS, 4);
  if (count) return count;
  const country = readCountry(group, 'US::Standard:4.95 USD');
  if (country instanceof GroupProblem) return country;
  const rawPrice = part(group, 'price');
  if (rawPrice === null) {
    return new GroupProblem(
      'price is missing.',
      `Give the shipping cost with its currency, e.g. ${sample(group, `${country}::Standard:4.95 USD`, { country })}; write 0 for free shipping.`,
    );
  }
  const parsed = parsePrice(rawPrice, defaultCurrency);
  if (!parsed.ok) {
    return new GroupProblem(
      `price "${rawPrice}" cannot be read: ${parsed.issue.message}`,
      `Write the shipping cost as an amount with a dot for decimals and its ISO currency code, e.g. 4.95 USD (0 USD for free shipping). ${parsed.issue.hint}`,
    );
  }
  if (parsed.minor < 0) {
    return new GroupProblem(
      `price ${formatPrice(parsed.minor, parsed.currency)} is negative.`,
      `Write the shipping cost as 0 or more, e.g. 0 ${parsed.currency} for free shipping.`,
    );
  }
  const times: Record<string, number> = {};
  for (const name of SHIPPING_TEXT_PARTS.slice(4)) {
    const raw = part(group, name);
    if (raw === null) continue;
    if (!WHOLE_DAYS.test(raw)) {
      return new GroupProblem(
        `${name} "${raw}" is not a whole number of days.`,
        `Write ${name} as a whole number of business days, 0 or more (e.g. 1), or leave it empty.`,
      );
    }
    times[name] = Number(raw);
  }
  for (const kind of ['handling', 'transit']) {
    const min = times[`min_${kind}_time`];
    const max = times[`max_${kind}_time`];
    if (min !== undefined && max !== undefined && min > max) {
      return new GroupProblem(
        `min_${kind}_time ${min} is more than max_${kind}_time ${max}.`,
        `Make min_${kind}_time at most max_${kind}_time (e.g. 1 and 3 days).`,
      );
    }
  }
  // Built in sorted key order, so the product stays canonical JSON without a sorted copy.
  const entry: ShippingEntry = { country, currency: parsed.currency } as ShippingEntry;
  const groupName = part(group, 'location_group_name');
  if (groupName !== null) entry.locationGroupName = groupName;
  const locationId = part(group, 'location_id');
  if (locationId !== null) entry.locationId = locationId;
  if (times.max_handling_time !== undefined) entry.maxHandlingTime = times.max_handling_time;
  if (times.max_transit_time !== undefined) entry.maxTransitTime = times.max_transit_time;
  if (times.min_handling_time !== undefined) entry.minHandlingTime = times.min_handling_time;
  if (times.min_transit_time !== undefined) entry.minTransitTime = times.min_transit_time;
  const postalCode = part(group, 'postal_code');
  if (postalCode !== null) entry.postalCode = postalCode;
  entry.priceMinor = parsed.minor;
  const region = part(group, 'region');
  if (region !== null) entry.region = region;
  const service = part(group, 'service');
  if (service !== null) entry.service = service;
  return parsed.assumed ? { entry, assumed: parsed.assumed } : { entry };
}

/** `tax` of one item: the valid rules and a finding per bad one. */
export function parseTax(value: unknown): GroupCheck<TaxEntry> {
  const entries: TaxEntry[] = [];
  const findings: GroupFinding[] = [];
  let valid = 0;
  for (const group of groupsOf(value, TAX_TEXT_PARTS)) {
    const result = readTax(group);
    if (result instanceof GroupProblem) findings.push(problem('INVALID_TAX', 'tax', group, result));
    else if (++valid <= MAX_TAX_ENTRIES) entries.push(result);
    else if (valid === MAX_TAX_ENTRIES + 1) findings.push(tooMany('INVALID_TAX', 'tax', group, MAX_TAX_ENTRIES));
  }
  return { entries, findings };
}

function readTax(group: Group): TaxEntry | GroupProblem {
  const count = wrongCount('tax', group, TAX_TEXT_PARTS, 4);
  if (count) return count;
  const country = readCountry(group, 'US:CA:8.25:y');
  if (country instanceof GroupProblem) return country;
  const rawRate = part(group, 'rate');
  if (rawRate === null) {
    return new GroupProblem(
      'rate is missing.',
      `Give the tax rate in percent, e.g. ${sample(group, `${country}:CA:8.25:y`, { country })}.`,
    );
  }
  const rate = RATE.test(rawRate) ? Number(rawRate) : NaN;
  if (!(rate >= 0 && rate <= 100)) {
    return new GroupProblem(
      `rate "${rawRate}" is not a percentage from 0 to 100.`,
      'Write the rate as a number of percent with a dot for decimals and no % sign, e.g. 8.25 for 8.25 %.',
    );
  }
  const rawShip = part(group, 'tax_ship');
  const taxShip = rawShip === null ? false : YES_NO.get(rawShip.toLowerCase());
  if (taxShip === undefined) {
    return new GroupProblem(
      `tax_ship "${rawShip}" is not yes or no.`,
      'Write y if shipping is taxed too, n if not (yes/no and true/false are read too), or leave it empty for no.',
    );
  }
  const entry = { country } as TaxEntry;
  const locationId = part(group, 'location_id');
  if (locationId !== null) entry.locationId = locationId;
  const postalCode = part(group, 'postal_code');
  if (postalCode !== null) entry.postalCode = postalCode;
  entry.rate = rate;
  const region = part(group, 'region');
  if (region !== null) entry.region = region;
  entry.taxShip = taxShip;
  return entry;
}
