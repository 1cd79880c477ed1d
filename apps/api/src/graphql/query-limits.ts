import type { ApolloServerPlugin } from '@apollo/server';
import type { ComplexityEstimator as NestComplexityEstimator } from '@nestjs/graphql';
import {
  GraphQLError,
  Kind,
  isListType,
  isNonNullType,
  parse,
  specifiedRules,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
  type ComplexityEstimatorArgs,
} from 'graphql-query-complexity';
import { PAGE_SIZE, checkPageSize, type PageSizePolicy } from './page-size.js';

/**
 * Depth, alias and cost limits for GraphQL operations.
 *
 * Depth and aliases depend on the document alone: they are validation rules (Apollo caches validated documents).
 * Cost depends on the variables (`first: $n` counts what $n holds), so it is computed once the operation is
 * resolved, before anything executes, with graphql-query-complexity. The unit is roughly one value in the answer;
 * a database statement is priced like the values it reads (STATEMENT, SEARCH, AGGREGATE below), so an alias
 * flood of cheap-looking fields that each run a query costs what it would make the database do.
 *
 * No operation name is special. Introspection is checked like everything else, see `introspectionCost`.
 */
export interface QueryLimitSettings {
  maxDepth: number;
  maxComplexity: number;
  maxAliases: number;
}

/** A lookup by key, or one batched load for a whole response level. */
export const STATEMENT = 10;
/** The full-text / filtered page query of a search. */
export const SEARCH = 100;
/** The count-and-group query behind totalCount and facets: one query over the matches, not one per row. */
export const AGGREGATE = 100;
/** Items assumed for a list the data does not bound and that takes no page size. */
export const DEFAULT_LIST = 20;
/** A keyset connection: the page, its count, and the probe for a page on the cursor's other side. */
export const PAGE_PRICE = 3 * STATEMENT;
/**
 * The whole schema served from memory, for `__schema` / `__type`: introspection reads no database and its answer is
 * bounded by the schema (about 100 KB for the standard introspection query).
 */
export const INTROSPECTION = 200;
/** Fields visited while estimating, fragments expanded: beyond it the operation is refused outright. */
const MAX_ESTIMATED_NODES = 10_000;

const refusal = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });

// ----------------------------------------------------------------------------------------------------------------
// Estimators, attached to fields through `complexity` in the code-first types (field extensions).

type Args = ComplexityEstimatorArgs;

/** The page size a plain list is asked for: `first` (variables already substituted) or the field's default. */
function pageSize(args: Args, defaultFirst: number): number {
  const first = args.args.first;
  return typeof first === 'number' && Number.isFinite(first) ? Math.max(first, 1) : defaultFirst;
}

/** The page size of a connection, checked against its policy (BAD_USER_INPUT beyond the maximum). */
function connectionPageSize(args: Args, policy: PageSizePolicy): number {
  for (const arg of ['first', 'last'] as const) {
    const size = args.args[arg];
    if (typeof size === 'number') return checkPageSize(size, arg, policy);
  }
  return policy.defaultSize;
}

/** Nest types the estimator argument more narrowly than graphql-query-complexity passes it. */
const nest = (estimator: (args: Args) => number): NestComplexityEstimator => estimator as NestComplexityEstimator;

export const cost = {
  /**
   * One query answers the whole field, whatever it selects (facets, issue summaries): a fixed price, not one per row.
   * Its sub-selection is bounded by the data (facets keep their top values, a summary one row per code).
   */
  aggregate: (price: number) => nest(() => price),
  /** A list the data bounds to at most `max` items (images of a product, renditions of an image). */
  list: (max: number, price = 1) => nest((a) => price + max * a.childComplexity),
  /**
   * A Relay connection: `edges` and `nodes` repeat once per row of the page, the rest (totalCount, facets, pageInfo)
   * once. The row fields record their cost as they are estimated (children first); the connection then
   * multiplies just those by the page size (`first` or `last`, or the policy's default). A size over the policy's
   * maximum is refused here already, with the BAD_USER_INPUT the field would give, rather than priced.
   */
  connection: (policy: PageSizePolicy = PAGE_SIZE, price = PAGE_PRICE) =>
    nest((a) => {
      const rows = takeRowCosts(a);
      return price + (a.childComplexity - rows) + connectionPageSize(a, policy) * rows;
    }),
  /** One lookup per value of a list argument (nodes(ids:)), each priced like `price` plus what it selects. */
  each: (arg: string, max: number, price: number) =>
    nest((a) => {
      const values = a.args[arg] as unknown;
      return (Array.isArray(values) ? values.length : max) * (price + a.childComplexity);
    }),
  /** `edges` / `nodes` of a connection: the cost of one row, multiplied by the connection above. */
  row: () =>
    nest((a) => {
      const own = 1 + a.childComplexity;
      state(a).rows.push({ node: a.node, cost: own });
      return own;
    }),
};

interface EstimateState {
  fragments: Map<string, FragmentDefinitionNode>;
  rows: { node: FieldNode; cost: number }[];
}

function state(a: Args): EstimateState {
  const s = a.context?.estimate as EstimateState | undefined;
  if (!s) throw new Error('complexity estimated without the query-limits context');
  return s;
}

/** Sums and removes the recorded rows that are direct children of this connection field (through fragments). */
function takeRowCosts(a: Args): number {
  const s = state(a);
  const direct = new Set<FieldNode>();
  const collect = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) direct.add(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) collect(sel.selectionSet, seen);
      else if (!seen.has(sel.name.value)) {
        collect(s.fragments.get(sel.name.value)?.selectionSet, new Set([...seen, sel.name.value]));
      }
    }
  };
  collect(a.node.selectionSet, new Set());
  let total = 0;
  s.rows = s.rows.filter((r) => {
    if (!direct.has(r.node)) return true;
    total += r.cost;
    return false;
  });
  return total;
}

/**
 * Introspection types (`__Type`, `__Field`…) are answered from the schema in memory. Their lists are not multiplied
 * (a type has tens of fields, not thousands, and graphql-js's MaxIntrospectionDepthRule, which Apollo runs, refuses
 * `fields`/`interfaces`/`possibleTypes`/`inputFields` nested three deep); each selected field counts 1 and the root
 * `__schema` / `__type` carries the price of walking the schema once. So the IDE's introspection costs a few
 * hundred, while a hundred aliased copies of it cost more than any limit a server would set.
 */
const introspectionCost: ComplexityEstimator = (a) => {
  if (a.field.name === '__schema' || a.field.name === '__type') return INTROSPECTION + a.childComplexity;
  if (a.type.name.startsWith('__')) return 1 + a.childComplexity;
  return undefined;
};

/** Lists the types leave unpriced: DEFAULT_LIST items, or `first` of them when the field takes one. */
const listCost: ComplexityEstimator = (a) => {
  const type: GraphQLOutputType = isNonNullType(a.field.type) ? a.field.type.ofType : a.field.type;
  if (!isListType(type)) return undefined;
  return 1 + pageSize(a, DEFAULT_LIST) * a.childComplexity;
};

const ESTIMATORS: ComplexityEstimator[] = [
  introspectionCost,
  fieldExtensionsEstimator(),
  listCost,
  simpleEstimator({ defaultComplexity: 1 }),
];

/** The cost of the operation that will run, with its variables. Throws a GraphQLError the client can read. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  const estimate: EstimateState = { fragments, rows: [] };
  try {
    return getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName,
      estimators: ESTIMATORS,
      context: { estimate },
      maxQueryNodes: MAX_ESTIMATED_NODES,
    });
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/maximum allowed number of nodes/.test(message)) {
      throw refusal(
        `The operation selects more than ${MAX_ESTIMATED_NODES} fields once its fragments are expanded; ask for fewer fields.`,
      );
    }
    // Variables that do not fit their types: execution would refuse them the same way.
    throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  }
}

function checkCost(cost: number, max: number): void {
  if (cost > max) {
    throw refusal(
      `Query cost ${cost} exceeds the limit of ${max} (GRAPHQL_MAX_COMPLEXITY); ask for smaller pages (first) or fewer fields.`,
    );
  }
}

// ----------------------------------------------------------------------------------------------------------------
// Depth and aliases: document-only validation rules.

/**
 * Nesting depth of each operation, fragments included. Every field counts, introspection fields too, except
 * `ofType`: it follows one type's NonNull/List wrappers (three at most here) and is null after them, so a long
 * `ofType` chain (the standard introspection query has nine) fans out to nothing. Fragments are measured once each,
 * so a document that spreads fragments into fragments cannot make the count itself explode.
 */
export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const depth = fragmentMeasure(context, (set, fragment) => {
      let max = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const below = sel.selectionSet ? depth.ofSet(sel.selectionSet) : 0;
          max = Math.max(max, (sel.name.value === 'ofType' ? 0 : 1) + below);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depth.ofSet(sel.selectionSet));
        else max = Math.max(max, fragment(sel.name.value));
      }
      return max;
    });
    return {
      OperationDefinition(node) {
        const n = depth.ofSet(node.selectionSet);
        if (n > maxDepth) {
          context.reportError(
            new GraphQLError(
              `Query depth ${n} exceeds the limit of ${maxDepth} (GRAPHQL_MAX_DEPTH); request fewer nested levels.`,
              { nodes: [node], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
            ),
          );
        }
      },
    };
  };
}

/** Aliased fields in each operation, counted as often as their fragments are spread. */
export function aliasLimitRule(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    const aliases = fragmentMeasure(context, (set, fragment) => {
      let n = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD)
          n += (sel.alias ? 1 : 0) + (sel.selectionSet ? aliases.ofSet(sel.selectionSet) : 0);
        else if (sel.kind === Kind.INLINE_FRAGMENT) n += aliases.ofSet(sel.selectionSet);
        else n += fragment(sel.name.value);
      }
      return n;
    });
    return {
      OperationDefinition(node) {
        const n = aliases.ofSet(node.selectionSet);
        if (n > maxAliases) {
          context.reportError(
            new GraphQLError(
              `The operation uses ${n} aliases; at most ${maxAliases} are allowed (GRAPHQL_MAX_ALIASES).`,
              { nodes: [node], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
            ),
          );
        }
      },
    };
  };
}

/** A measure of selection sets, with each fragment's value computed once (a cycle, refused elsewhere, counts 0). */
function fragmentMeasure(
  context: ValidationContext,
  measure: (set: SelectionSetNode, fragment: (name: string) => number) => number,
) {
  const done = new Map<string, number>();
  const active = new Set<string>();
  const fragment = (name: string): number => {
    const known = done.get(name);
    if (known !== undefined) return known;
    const def = context.getFragment(name);
    if (!def || active.has(name)) return 0;
    active.add(name);
    const value = measure(def.selectionSet, fragment);
    active.delete(name);
    done.set(name, value);
    return value;
  };
  return { ofSet: (set: SelectionSetNode) => measure(set, fragment) };
}

// ----------------------------------------------------------------------------------------------------------------
// Wiring: Apollo (HTTP) and graphql-ws (subscriptions) run the same checks.

export interface QueryLimits {
  validationRules: ReturnType<typeof depthLimitRule>[];
  plugin: ApolloServerPlugin;
  /** graphql-ws `onSubscribe`: parses, validates and prices a subscription as Apollo does a request. */
  onSubscribe: (
    ctx: unknown,
    id: string,
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ) => GraphQLError[] | undefined;
}

export function queryLimits(settings: QueryLimitSettings): QueryLimits {
  let schema: GraphQLSchema | null = null;
  const validationRules = [depthLimitRule(settings.maxDepth), aliasLimitRule(settings.maxAliases)];
  return {
    validationRules,
    plugin: {
      async serverWillStart({ schema: started }) {
        schema = started;
      },
      async requestDidStart() {
        return {
          async didResolveOperation({ schema: current, document, request, operationName }) {
            checkCost(
              operationCost(current, document, request.variables, operationName ?? undefined),
              settings.maxComplexity,
            );
          },
        };
      },
    },
    onSubscribe(_ctx, _id, payload) {
      if (!schema) return [new GraphQLError('The server is still starting; subscribe again in a moment.')];
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        return [error as GraphQLError];
      }
      const errors = validate(schema, document, [...specifiedRules, ...validationRules]);
      if (errors.length) return [...errors];
      try {
        const n = operationCost(schema, document, payload.variables ?? undefined, payload.operationName ?? undefined);
        checkCost(n, settings.maxComplexity);
      } catch (error) {
        // graphql-ws sends errors as they are: without Apollo's HTTP-only extension.
        const { code } = (error as GraphQLError).extensions ?? {};
        return [new GraphQLError((error as Error).message, { extensions: { code } })];
      }
      return undefined;
    },
  };
}
