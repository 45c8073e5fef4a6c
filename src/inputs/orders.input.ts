import { ClassType, Field, InputType, registerEnumType } from "type-graphql";

/** Sort direction. */
export enum OrderDirection {
  ASC = "ASC",
  DESC = "DESC",
}

registerEnumType(OrderDirection, {
  name: "OrderDirection",
  description: "Sort direction.",
  valuesConfig: {
    ASC: { description: "Ascending: A to Z, oldest first, smallest first; unknown (null) values first." },
    DESC: { description: "Descending: Z to A, newest first, largest first; unknown (null) values last." },
  },
});

/** Every field a list can be sorted by, per type; the SQL columns live in `src/sql/orders.ts`. */
export const ORDER_FIELDS = {
  Article: {
    PUBLISHED_AT: "By publication date.",
    TITLE: "By headline.",
    CREATED_AT: "By when the record was created.",
    UPDATED_AT: "By when the record was last changed.",
    DATABASE_ID: "By database ID (the order records were added in).",
  },
  Country: {
    NAME: "By name.",
    ALPHA2: "By ISO 3166-1 alpha-2 code.",
    ALPHA3: "By ISO 3166-1 alpha-3 code.",
    CREATED_AT: "By when the record was created.",
    UPDATED_AT: "By when the record was last changed.",
    DATABASE_ID: "By database ID (the order records were added in).",
  },
  Organization: {
    NAME: "By name.",
    KIND: "By kind.",
    CREATED_AT: "By when the record was created.",
    UPDATED_AT: "By when the record was last changed.",
    DATABASE_ID: "By database ID (the order records were added in).",
  },
  Person: {
    NAME: "By name.",
    CREATED_AT: "By when the record was created.",
    UPDATED_AT: "By when the record was last changed.",
    DATABASE_ID: "By database ID (the order records were added in).",
  },
  Position: {
    ARTICLE_ORDER: "By article, then by where the evidence stands in it.",
    TITLE: "By title.",
    START_DATE: "By start date; unknown start dates count as earliest.",
    END_DATE: "By end date; unknown end dates count as earliest.",
    CREATED_AT: "By when the record was created.",
    UPDATED_AT: "By when the record was last changed.",
    DATABASE_ID: "By database ID (the order records were added in).",
  },
  Quote: {
    ARTICLE_ORDER: "By article, then by where the quote stands in it.",
    KIND: "By kind (DIRECT before PARAPHRASE).",
    CREATED_AT: "By when the record was created.",
    UPDATED_AT: "By when the record was last changed.",
    DATABASE_ID: "By database ID (the order records were added in).",
  },
  Mention: {
    ARTICLE_ORDER: "By article, then by where the mention stands in it.",
    KIND: "By kind.",
    CREATED_AT: "By when the record was created.",
    UPDATED_AT: "By when the record was last changed.",
    DATABASE_ID: "By database ID (the order records were added in).",
  },
} as const;

type OrderedType = keyof typeof ORDER_FIELDS;

/** One sort criterion as a client sends it. */
export interface OrderInput {
  field: string;
  direction?: OrderDirection | null;
}

function orderInput(type: OrderedType): ClassType<OrderInput> {
  const fields = ORDER_FIELDS[type];
  const enumObject = Object.fromEntries(Object.keys(fields).map((k) => [k, k]));
  registerEnumType(enumObject, {
    name: `${type}OrderField`,
    description: `The fields ${type} lists can be sorted by.`,
    valuesConfig: Object.fromEntries(Object.entries(fields).map(([k, description]) => [k, { description }])),
  });

  @InputType(`${type}Order`, {
    description: `One sort criterion for ${type} lists. Ties are always broken by database ID, in the direction of the first criterion.`,
  })
  class Order implements OrderInput {
    @Field(() => enumObject, { description: "The field to sort by." })
    field!: string;

    @Field(() => OrderDirection, { nullable: true, defaultValue: OrderDirection.ASC, description: "The direction; ascending by default." })
    direction?: OrderDirection | null;
  }
  return Order;
}

export const ArticleOrder = orderInput("Article");
export const CountryOrder = orderInput("Country");
export const OrganizationOrder = orderInput("Organization");
export const PersonOrder = orderInput("Person");
export const PositionOrder = orderInput("Position");
export const QuoteOrder = orderInput("Quote");
export const MentionOrder = orderInput("Mention");
