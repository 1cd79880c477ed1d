import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { RESOLVERS, describeRootTypes, printSortedSchema } from './schema.js';

/** Builds the SDL from the resolver classes alone: no database, no server. */
export async function generateSchemaSDL(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  try {
    const factory = app.get(GraphQLSchemaFactory);
    return printSortedSchema(describeRootTypes(await factory.create(RESOLVERS)));
  } finally {
    await app.close();
  }
}
