import { ArgsType, ClassType, Field } from "type-graphql";
import { ConnectionArgs } from "../types/connection-type";
import {
  ArticleFilter,
  CountryFilter,
  MentionFilter,
  OrganizationFilter,
  PersonFilter,
  PositionFilter,
  QuoteFilter,
} from "./entity-filters.input";
import {
  ArticleOrder,
  CountryOrder,
  MentionOrder,
  OrderInput,
  OrganizationOrder,
  PersonOrder,
  PositionOrder,
  QuoteOrder,
} from "./orders.input";

/** The arguments of every list: Relay pagination plus a filter and an order. */
export interface ListArgs extends ConnectionArgs {
  filter?: object | null;
  orderBy?: OrderInput[] | null;
}

function listArgs(filter: ClassType, order: ClassType<OrderInput>, plural: string): ClassType<ListArgs> {
  @ArgsType()
  class Args extends ConnectionArgs implements ListArgs {
    @Field(() => filter, { nullable: true, description: `Only the ${plural} matching these conditions.` })
    filter?: object | null;

    @Field(() => [order], {
      nullable: true,
      description: `The sort order, most significant first (at most 5 criteria); ties are broken by database ID. Without it, the default order of ${plural}.`,
    })
    orderBy?: OrderInput[] | null;
  }
  return Args;
}

export const ArticleListArgs = listArgs(ArticleFilter, ArticleOrder, "articles");
export const CountryListArgs = listArgs(CountryFilter, CountryOrder, "countries");
export const OrganizationListArgs = listArgs(OrganizationFilter, OrganizationOrder, "organizations");
export const PersonListArgs = listArgs(PersonFilter, PersonOrder, "people");
export const PositionListArgs = listArgs(PositionFilter, PositionOrder, "positions");
export const QuoteListArgs = listArgs(QuoteFilter, QuoteOrder, "quotes");
export const MentionListArgs = listArgs(MentionFilter, MentionOrder, "mentions");
