import { AVAILABILITIES, CONDITIONS, GENDERS, lookupCategory } from '@brandshelf/catalog-rules';
import { BadInputError } from '@brandshelf/core';
import { decimalToMinor, parseDecimal } from '@brandshelf/search';

/**
 * A product set's rules: data, not code. A tree of AND (`all`) and OR (`any`) nodes whose leaves are conditions on
 * one attribute of a live product. Validated once (validateRules) and compiled to one SQL condition over
 * `catalog_product p` (compileRules), with every value a bound parameter.
 */
export const PRODUCT_ATTRIBUTES = [
  'BRAND',
  'CATEGORY',
  'PRODUCT_TYPE',
  'PRICE',
  'AVAILABILITY',
  'CONDITION',
  'COLOR',
  'SIZE',
  'GENDER',
  'CUSTOM_LABEL_0',
  'CUSTOM_LABEL_1',
  'CUSTOM_LABEL_2',
  'CUSTOM_LABEL_3',
  'CUSTOM_LABEL_4',
  'TITLE',
  'ID',
  'ON_SALE',
] as const;
export type ProductAttribute = (typeof PRODUCT_ATTRIBUTES)[number];

export const SET_OPERATORS = [
  'IS',
  'IS_NOT',
  'CONTAINS',
  'STARTS_WITH',
  'IS_ANY_OF',
  'LESS_THAN',
  'GREATER_THAN',
] as const;
export type SetOperator = (typeof SET_OPERATORS)[number];

export interface SetCondition {
  attribute: ProductAttribute;
  operator: SetOperator;
  values: string[];
  /** PRICE only: the currency the amounts are in (ISO 4217); only products priced in it can match. */
  currency?: string | null;
}

export interface SetRule {
  all?: SetRule[] | null;
  any?: SetRule[] | null;
  condition?: SetCondition | null;
}

/** Nesting depth of all/any nodes, conditions in one set, values in one condition, characters in one value. */
export const RULE_LIMITS = { depth: 5, conditions: 50, values: 500, valueLength: 500 };

/**
 * Half of a surrogate pair with no other half: not Unicode text. Rules are stored as PostgreSQL jsonb, which refuses
 * it (`\ud800` escaped alone), so the write would fail (INTERNAL_SERVER_ERROR) instead of naming the value.
 */
const LONE_SURROGATE = /\p{Cs}/u;

type Kind = 'text' | 'path' | 'price' | 'enum' | 'boolean' | 'label';

const KINDS: Record<ProductAttribute, Kind> = {
  BRAND: 'text',
  CATEGORY: 'path',
  PRODUCT_TYPE: 'path',
  PRICE: 'price',
  AVAILABILITY: 'enum',
  CONDITION: 'enum',
  COLOR: 'text',
  SIZE: 'text',
  GENDER: 'enum',
  CUSTOM_LABEL_0: 'label',
  CUSTOM_LABEL_1: 'label',
  CUSTOM_LABEL_2: 'label',
  CUSTOM_LABEL_3: 'label',
  CUSTOM_LABEL_4: 'label',
  TITLE: 'text',
  ID: 'text',
  ON_SALE: 'boolean',
};

const OPERATORS: Record<Kind, readonly SetOperator[]> = {
  text: ['IS', 'IS_NOT', 'CONTAINS', 'STARTS_WITH', 'IS_ANY_OF'],
  path: ['IS', 'IS_NOT', 'CONTAINS', 'STARTS_WITH', 'IS_ANY_OF'],
  label: ['IS', 'IS_NOT', 'CONTAINS', 'STARTS_WITH', 'IS_ANY_OF'],
  enum: ['IS', 'IS_NOT', 'IS_ANY_OF'],
  price: ['IS', 'LESS_THAN', 'GREATER_THAN'],
  boolean: ['IS'],
};

const COLUMNS: Partial<Record<ProductAttribute, string>> = {
  BRAND: 'p.brand_name',
  CATEGORY: 'p.google_category_path',
  PRODUCT_TYPE: 'p.product_type',
  AVAILABILITY: 'p.availability',
  CONDITION: 'p.condition',
  COLOR: 'p.color',
  SIZE: 'p.size',
  GENDER: 'p.gender',
  TITLE: 'p.title',
  ID: 'p.offer_id',
};

/** Stored as the normalizers write them (IN_STOCK, NEW, MALE, …); input is read case-insensitively. */
const ENUM_VALUES: Partial<Record<ProductAttribute, readonly string[]>> = {
  AVAILABILITY: AVAILABILITIES,
  CONDITION: CONDITIONS,
  GENDER: GENDERS,
};

/**
 * Checks a rule tree and answers it normalized (values trimmed, enum values lower-cased, categories as Google's
 * paths, prices as exact decimals). Anything wrong is BAD_USER_INPUT naming the input path of the fault, e.g.
 * `rules.all.1.condition.values`.
 */
export function validateRules(rule: SetRule, field = 'rules'): SetRule {
  let conditions = 0;
  const walk = (node: SetRule, path: string, depth: number): SetRule => {
    const parts = (['all', 'any', 'condition'] as const).filter((k) => node[k] !== undefined && node[k] !== null);
    if (parts.length !== 1) {
      throw new BadInputError(`${path} must have exactly one of all, any or condition.`, path);
    }
    if (node.condition) {
      conditions++;
      if (conditions > RULE_LIMITS.conditions) {
        throw new BadInputError(`A product set takes at most ${RULE_LIMITS.conditions} conditions.`, path);
      }
      return { condition: validateCondition(node.condition, `${path}.condition`) };
    }
    const key = node.all ? 'all' : 'any';
    const children = node[key]!;
    if (depth >= RULE_LIMITS.depth) {
      throw new BadInputError(`Rules nest at most ${RULE_LIMITS.depth} levels of all/any.`, `${path}.${key}`);
    }
    if (children.length === 0) throw new BadInputError(`${path}.${key} needs at least one rule.`, `${path}.${key}`);
    return { [key]: children.map((child, i) => walk(child, `${path}.${key}.${i}`, depth + 1)) };
  };
  return walk(rule, field, 0);
}

function validateCondition(c: SetCondition, path: string): SetCondition {
  const kind = KINDS[c.attribute];
  if (!kind) throw new BadInputError(`${path}.attribute: unknown attribute ${c.attribute}.`, `${path}.attribute`);
  if (!OPERATORS[kind].includes(c.operator)) {
    throw new BadInputError(
      `${c.attribute} takes the operators ${OPERATORS[kind].join(', ')}; not ${c.operator}.`,
      `${path}.operator`,
    );
  }
  const raw = (c.values ?? []).map((v) => (typeof v === 'string' ? v.trim() : v));
  const many = c.operator === 'IS_ANY_OF';
  if (raw.length === 0 || (!many && raw.length !== 1) || raw.length > RULE_LIMITS.values) {
    throw new BadInputError(
      many
        ? `IS_ANY_OF takes 1 to ${RULE_LIMITS.values} values.`
        : `${c.operator} takes exactly one value; use IS_ANY_OF for a list.`,
      `${path}.values`,
    );
  }
  for (const v of raw) {
    if (typeof v !== 'string' || v === '' || v.length > RULE_LIMITS.valueLength) {
      throw new BadInputError(
        `Each value is a non-empty text of at most ${RULE_LIMITS.valueLength} characters.`,
        `${path}.values`,
      );
    }
    if (LONE_SURROGATE.test(v)) {
      throw new BadInputError(
        `${path}.values: a value is not valid Unicode text: it holds half of a surrogate pair (\\ud800–\\udfff) without the other half.`,
        `${path}.values`,
      );
    }
  }
  if (kind !== 'price' && c.currency) {
    throw new BadInputError('currency applies to PRICE conditions only.', `${path}.currency`);
  }
  let values = raw as string[];
  let currency: string | null = null;
  if (kind === 'price') {
    currency = (c.currency ?? '').trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) {
      throw new BadInputError(
        'A PRICE condition needs the currency of its amount (ISO 4217, e.g. USD).',
        `${path}.currency`,
      );
    }
    values = values.map((v) => parseDecimal(v, currency, `${path}.values`));
  } else if (kind === 'enum') {
    const allowed = ENUM_VALUES[c.attribute]!;
    values = values.map((v) => v.toUpperCase().replace(/[\s-]+/g, '_'));
    const unknown = values.find((v) => !allowed.includes(v));
    if (unknown) {
      throw new BadInputError(`${c.attribute} is one of ${allowed.join(', ')}; not "${unknown}".`, `${path}.values`);
    }
  } else if (kind === 'boolean') {
    values = values.map((v) => v.toLowerCase());
    if (values[0] !== 'true' && values[0] !== 'false') {
      throw new BadInputError(`${c.attribute} IS takes "true" or "false".`, `${path}.values`);
    }
  } else if (c.attribute === 'CATEGORY' && (c.operator === 'IS' || c.operator === 'IS_NOT' || many)) {
    // A Google category by id or path, as feeds give it: stored as Google writes the path.
    values = values.map((v) => {
      const match = lookupCategory(v);
      if (!match) {
        throw new BadInputError(
          `"${v}" is not a Google product category (an id such as 187 or a path such as "Apparel & Accessories > Shoes").`,
          `${path}.values`,
        );
      }
      return match.path;
    });
  }
  return { attribute: c.attribute, operator: c.operator, values, ...(kind === 'price' ? { currency } : {}) };
}

/** Collects bound parameters: `add` answers the placeholder. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly offset = 0) {}
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.offset + this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One SQL boolean over `catalog_product p` for a validated rule tree (never NULL: a missing value is no match). */
export function compileRules(rule: SetRule, params: SqlParams): string {
  if (rule.condition) return `coalesce(${compileCondition(rule.condition, params)}, false)`;
  const key = rule.all ? 'all' : 'any';
  const parts = rule[key]!.map((child) => compileRules(child, params));
  return parts.length === 1 ? parts[0] : `(${parts.join(key === 'all' ? ' AND ' : ' OR ')})`;
}

function compileCondition(c: SetCondition, params: SqlParams): string {
  const kind = KINDS[c.attribute];
  if (kind === 'boolean') return `p.on_sale = ${params.add(c.values[0] === 'true', 'boolean')}`;
  if (kind === 'price') {
    const minor = params.add(decimalToMinor(c.values[0], c.currency!, 'down').toString(), 'bigint');
    const op = c.operator === 'LESS_THAN' ? '<' : c.operator === 'GREATER_THAN' ? '>' : '=';
    return `(p.currency = ${params.add(c.currency)} AND p.effective_price_minor ${op} ${minor})`;
  }
  if (kind === 'label') {
    const index = Number(c.attribute.slice(-1)) + 1; // PostgreSQL arrays count from 1
    return textCondition(`lower(p.custom_labels[${index}])`, c, params, false);
  }
  const column = COLUMNS[c.attribute]!;
  return textCondition(kind === 'enum' ? column : `lower(${column})`, c, params, kind === 'path');
}

/** IS and IS_ANY_OF compare case-insensitively; on a path (category, product type) they include what lies below. */
function textCondition(column: string, c: SetCondition, params: SqlParams, path: boolean): string {
  const values = KINDS[c.attribute] === 'enum' ? c.values : c.values.map((v) => v.toLowerCase());
  const equal = (list: string[]) => {
    const exact =
      list.length === 1 ? `${column} = ${params.add(list[0])}` : `${column} = ANY(${params.add(list, 'text[]')})`;
    if (!path) return exact;
    const below = list.map((v) => `${column} LIKE ${params.add(`${likeEscape(v)} > %`)}`);
    return `(${[exact, ...below].join(' OR ')})`;
  };
  switch (c.operator) {
    case 'IS':
    case 'IS_ANY_OF':
      return equal(values);
    case 'IS_NOT':
      return `NOT coalesce(${equal(values)}, false)`;
    case 'CONTAINS':
      return `${column} LIKE ${params.add(`%${likeEscape(values[0])}%`)}`;
    case 'STARTS_WITH':
      return `${column} LIKE ${params.add(`${likeEscape(values[0])}%`)}`;
    default:
      throw new BadInputError(`${c.operator} does not apply to ${c.attribute}.`, 'rules');
  }
}
