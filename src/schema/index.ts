import { GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import {
  AggregateResolver,
  OrganizationCountResolver,
  PersonCountResolver,
  PositionCountResolver,
  QuoteCountResolver,
} from "../resolvers/aggregate.resolver";
import { ArticleResolver } from "../resolvers/article.resolver";
import { CountryResolver } from "../resolvers/country.resolver";
import { EvidenceResolver } from "../resolvers/evidence.resolver";
import { NodeResolver } from "../resolvers/node.resolver";
import { OrganizationResolver } from "../resolvers/organization.resolver";
import { PersonResolver } from "../resolvers/person.resolver";
import { PositionResolver } from "../resolvers/position.resolver";
import { QuoteResolver } from "../resolvers/quote.resolver";
import { SearchResolver } from "../resolvers/search.resolver";

/** Builds the executable schema from the TypeGraphQL resolvers and entity types. */
export async function createSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [
      NodeResolver,
      ArticleResolver,
      CountryResolver,
      OrganizationResolver,
      PersonResolver,
      PositionResolver,
      QuoteResolver,
      EvidenceResolver,
      SearchResolver,
      AggregateResolver,
      QuoteCountResolver,
      PersonCountResolver,
      PositionCountResolver,
      OrganizationCountResolver,
    ],
    // Arguments are checked by hand where a check is needed, with coded errors; turning
    // class-validator on for every argument would cost a validation pass per field per row.
    validate: false,
  });
  const query = schema.getQueryType();
  if (query) {
    query.description =
      "The entry points for reading the knowledge base. Every list is a Relay connection (`first`/`after`, `last`/`before`, at most 100 per page); every object can be fetched again by its `id` with `node`.";
  }
  return schema;
}

/** The schema as SDL, sorted so that `schema.graphql` only changes when the API does. */
export function schemaSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
