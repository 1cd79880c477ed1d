import {
  GraphQLError,
  Kind,
  getNamedType,
  isListType,
  isNonNullType,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * Depth and cost limits, checked at validation time before anything runs. Cost counts each field
 * once, multiplied by the page size of every list above it (`first`, else 20 for unbounded lists),
 * which is what a hostile query would otherwise make the database do.
 */
export function queryLimitRules(maxDepth: number, maxComplexity: number) {
  return [(context: ValidationContext): ASTVisitor => limitVisitor(context, maxDepth, maxComplexity)];
}

function limitVisitor(context: ValidationContext, maxDepth: number, maxComplexity: number): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of context.getDocument().definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  return {
    OperationDefinition(node) {
      if (node.name?.value === 'IntrospectionQuery') return;
      const depth = measureDepth(node.selectionSet, fragments, 0, new Set());
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(`Query depth ${depth} exceeds the limit of ${maxDepth}; request fewer nested levels.`, {
            nodes: [node],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
        );
        return;
      }
      const rootType =
        node.operation === 'query'
          ? context.getSchema().getQueryType()
          : node.operation === 'mutation'
            ? context.getSchema().getMutationType()
            : context.getSchema().getSubscriptionType();
      if (!rootType) return;
      const cost = measureCost(node.selectionSet, rootType, fragments, context, new Set());
      if (cost > maxComplexity) {
        context.reportError(
          new GraphQLError(
            `Query cost ${cost} exceeds the limit of ${maxComplexity}; ask for smaller pages or fewer fields.`,
            { nodes: [node], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
          ),
        );
      }
    },
  };
}

function measureDepth(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  depth: number,
  seen: Set<string>,
): number {
  let max = depth;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue;
      max = Math.max(max, sel.selectionSet ? measureDepth(sel.selectionSet, fragments, depth + 1, seen) : depth + 1);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, measureDepth(sel.selectionSet, fragments, depth, seen));
    } else {
      const frag = fragments.get(sel.name.value);
      if (frag && !seen.has(frag.name.value)) {
        max = Math.max(max, measureDepth(frag.selectionSet, fragments, depth, new Set([...seen, frag.name.value])));
      }
    }
  }
  return max;
}

function measureCost(
  set: SelectionSetNode,
  parent: { getFields?: () => Record<string, { type: GraphQLOutputType }> },
  fragments: Map<string, FragmentDefinitionNode>,
  context: ValidationContext,
  seen: Set<string>,
): number {
  let cost = 0;
  const fields = parent.getFields?.() ?? {};
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue;
      const def = fields[sel.name.value];
      cost += 1;
      if (def && sel.selectionSet) {
        const child = getNamedType(def.type) as unknown as Parameters<typeof measureCost>[1];
        // A connection's page size is counted on the connection; its edges/nodes lists do not multiply again.
        const parentName = (parent as { name?: string }).name ?? '';
        const multiplier = parentName.endsWith('Connection') ? 1 : listMultiplier(def.type, sel);
        cost += multiplier * measureCost(sel.selectionSet, child, fragments, context, seen);
      }
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const typeName = sel.typeCondition?.name.value;
      const type = typeName ? context.getSchema().getType(typeName) : parent;
      cost += measureCost(sel.selectionSet, type as Parameters<typeof measureCost>[1], fragments, context, seen);
    } else {
      const frag = fragments.get(sel.name.value);
      if (frag && !seen.has(frag.name.value)) {
        const type = context.getSchema().getType(frag.typeCondition.name.value);
        cost += measureCost(
          frag.selectionSet,
          type as Parameters<typeof measureCost>[1],
          fragments,
          context,
          new Set([...seen, frag.name.value]),
        );
      }
    }
  }
  return cost;
}

function listMultiplier(type: GraphQLOutputType, field: FieldNode): number {
  const inner = isNonNullType(type) ? type.ofType : type;
  const first = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'limit');
  const requested = first?.value.kind === Kind.INT ? Number(first.value.value) : null;
  if (requested !== null) return Math.max(1, requested);
  // Connections are objects holding lists; treat their default page as the multiplier.
  if (isListType(inner)) return 20;
  return getNamedType(type).name.endsWith('Connection') ? 20 : 1;
}
