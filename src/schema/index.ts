import { GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { DateTimeScalar } from "../types/date-time";
import { installDirectResolvers, installTypeResolvers } from "./direct-resolvers";
import { orderQueryFields } from "./field-order";
import { installResponseBudget } from "../http/response-budget";
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
import { MentionResolver } from "../resolvers/mention.resolver";
import { SearchResolver } from "../resolvers/search.resolver";
import { LookupResolver } from "../resolvers/lookup.resolver";
import { EditResolver } from "../resolvers/edit.resolver";
import { AddArticleMutation } from "../resolvers/mutation/add-article.mutation";
import {
  ArticleMutations,
  CountryMutations,
  OrganizationMutations,
  PersonMutations,
  PositionMutations,
  QuoteMutations,
} from "../resolvers/mutation/records.mutation";
import { ProposalMutations } from "../resolvers/mutation/proposal.mutation";
import { CandidateResolver, ProposalResolver } from "../resolvers/proposal.resolver";

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
      MentionResolver,
      EvidenceResolver,
      SearchResolver,
      LookupResolver,
      AggregateResolver,
      QuoteCountResolver,
      PersonCountResolver,
      PositionCountResolver,
      OrganizationCountResolver,
      EditResolver,
      ArticleMutations,
      CountryMutations,
      OrganizationMutations,
      PersonMutations,
      PositionMutations,
      QuoteMutations,
      AddArticleMutation,
      ProposalResolver,
      CandidateResolver,
      ProposalMutations,
    ],
    // Arguments are checked by hand where a check is needed, with coded errors; turning
    // class-validator on for every argument would cost a validation pass per field per row.
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  });
  installDirectResolvers(schema);
  installTypeResolvers(schema);
  // Last, so that it wraps the resolvers the executor will actually call.
  installResponseBudget(schema);
  orderQueryFields(schema);
  const query = schema.getQueryType();
  if (query) {
    query.description =
      "The entry points for reading the knowledge base. Every list is a Relay connection (`first`/`after`, `last`/`before`, at most 100 per page); every object can be fetched again by its `id` with `node`.";
  }
  const mutation = schema.getMutationType();
  if (mutation) {
    mutation.description =
      "The entry points for editing the knowledge base. Every mutation needs `Authorization: Bearer <editor token>`, runs in its own transaction (all or nothing) and is recorded in the edit log (`edits`).";
  }
  return schema;
}

/** The schema as SDL, sorted so that `schema.graphql` only changes when the API does. */
export function schemaSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
