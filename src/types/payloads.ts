import { ClassType, Field, ID, ObjectType } from "type-graphql";
import { Article, Country, Organization, Person, Position, Quote } from "../entities";

const CLIENT_MUTATION_ID = "The `clientMutationId` of the input, unchanged.";

/** What `createX` and `updateX` return: the record as it now is. */
export interface RecordPayload<T> {
  clientMutationId: string | null;
  record: T;
}

/** What `deleteX` returns. */
export interface DeletePayloadShape {
  clientMutationId: string | null;
  deletedId: string;
  cascadedIds: string[];
}

/** The payload classes of one type's three mutations, named as GitHub names them. */
export interface PayloadClasses {
  Create: ClassType;
  Update: ClassType;
  Delete: ClassType<DeletePayloadShape>;
}

/**
 * Builds `CreateXPayload`, `UpdateXPayload` and `DeleteXPayload`. The record field is named after
 * the type (`person`, `quote`); the resolvers return `{ clientMutationId, [field]: row }`.
 */
function payloads<T extends object>(type: ClassType<T>, typeName: string, field: string): PayloadClasses {
  function recordPayload(verb: "Create" | "Update", what: string): ClassType {
    @ObjectType(`${verb}${typeName}Payload`, { description: `The result of \`${verb.toLowerCase()}${typeName}\`.` })
    class Payload {
      @Field(() => String, { nullable: true, description: CLIENT_MUTATION_ID })
      clientMutationId!: string | null;
    }
    // The record field is named per type, which a class declaration cannot spell generically.
    Field(() => type, { description: `The ${typeName} ${what}.` })(Payload.prototype, field);
    return Payload;
  }

  @ObjectType(`Delete${typeName}Payload`, { description: `The result of \`delete${typeName}\`.` })
  class DeletePayload implements DeletePayloadShape {
    @Field(() => String, { nullable: true, description: CLIENT_MUTATION_ID })
    clientMutationId!: string | null;

    @Field(() => ID, { description: `The ID of the deleted ${typeName}; \`node(id:)\` now returns null for it.` })
    deletedId!: string;

    @Field(() => [ID], {
      description: "The IDs of records deleted along with it (an article's quotes and positions, a person's positions), so client caches can drop them.",
    })
    cascadedIds!: string[];
  }

  return { Create: recordPayload("Create", "as created"), Update: recordPayload("Update", "as it is after the change"), Delete: DeletePayload };
}

export const ArticlePayloads = payloads(Article, "Article", "article");
export const CountryPayloads = payloads(Country, "Country", "country");
export const OrganizationPayloads = payloads(Organization, "Organization", "organization");
export const PersonPayloads = payloads(Person, "Person", "person");
export const PositionPayloads = payloads(Position, "Position", "position");
export const QuotePayloads = payloads(Quote, "Quote", "quote");

/** The result of `addArticle`: the article and everything created with it, in input order. */
@ObjectType("AddArticlePayload", { description: "The result of `addArticle`: the article and every record created with it, in the order of the input." })
export class AddArticlePayload {
  @Field(() => String, { nullable: true, description: CLIENT_MUTATION_ID })
  clientMutationId!: string | null;

  @Field(() => Article, { description: "The new article." })
  article!: Article;

  @Field(() => [Country], { description: "The countries created, in the order of `input.countries`." })
  countries!: Country[];

  @Field(() => [Organization], { description: "The organizations created, in the order of `input.organizations`." })
  organizations!: Organization[];

  @Field(() => [Person], { description: "The people created, in the order of `input.people`." })
  people!: Person[];

  @Field(() => [Position], { description: "The positions created, in the order of `input.positions`." })
  positions!: Position[];

  @Field(() => [Quote], { description: "The quotes created, in the order of `input.quotes`." })
  quotes!: Quote[];
}
