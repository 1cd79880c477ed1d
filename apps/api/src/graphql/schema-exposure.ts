import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';

/** The same wording as Apollo's suggestion remover, for errors that graphql-ws sends past Apollo. */
export function withoutSuggestion(error: GraphQLError): GraphQLError {
  const message = error.message.replace(/ ?Did you mean(.+?)\?$/, '');
  return message === error.message
    ? error
    : new GraphQLError(message, { nodes: error.nodes, extensions: error.extensions });
}

/**
 * graphql-ws runs queries as well as subscriptions, past Apollo's `introspection: false`: a document asking for
 * `__schema` or `__type` is refused there too, as graphql-js's NoSchemaIntrospectionCustomRule words it.
 */
export function introspectionRefusal(document: DocumentNode): GraphQLError | null {
  let refusal: GraphQLError | null = null;
  visit(document, {
    [Kind.FIELD](node) {
      if (!refusal && (node.name.value === '__schema' || node.name.value === '__type')) {
        refusal = new GraphQLError(
          `GraphQL introspection has been disabled, but the requested query contained the field "${node.name.value}".`,
          { nodes: node, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
        );
      }
    },
  });
  return refusal;
}
