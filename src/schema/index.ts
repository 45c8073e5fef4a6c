import { GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { ArticleResolver } from "../resolvers/article.resolver";
import { CountryResolver } from "../resolvers/country.resolver";
import { EvidenceResolver } from "../resolvers/evidence.resolver";
import { NodeResolver } from "../resolvers/node.resolver";
import { OrganizationResolver } from "../resolvers/organization.resolver";
import { PersonResolver } from "../resolvers/person.resolver";
import { PositionResolver } from "../resolvers/position.resolver";
import { QuoteResolver } from "../resolvers/quote.resolver";

/** Builds the executable schema from the TypeGraphQL resolvers and entity types. */
export async function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      NodeResolver,
      ArticleResolver,
      CountryResolver,
      OrganizationResolver,
      PersonResolver,
      PositionResolver,
      QuoteResolver,
      EvidenceResolver,
    ],
    // Arguments are checked by hand where a check is needed, with coded errors; turning
    // class-validator on for every argument would cost a validation pass per field per row.
    validate: false,
  });
}

/** The schema as SDL, sorted so that `schema.graphql` only changes when the API does. */
export function schemaSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
