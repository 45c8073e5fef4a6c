import { CreateArticleInput, DeleteArticleInput, UpdateArticleInput } from "../../inputs/article.input";
import { CreateCountryInput, DeleteCountryInput, UpdateCountryInput } from "../../inputs/country.input";
import { CreateOrganizationInput, DeleteOrganizationInput, UpdateOrganizationInput } from "../../inputs/organization.input";
import { CreatePersonInput, DeletePersonInput, UpdatePersonInput } from "../../inputs/person.input";
import { CreatePositionInput, DeletePositionInput, UpdatePositionInput } from "../../inputs/position.input";
import { CreateQuoteInput, DeleteQuoteInput, UpdateQuoteInput } from "../../inputs/quote.input";
import { createArticle, deleteArticle, updateArticle } from "../../services/editing/articles";
import { createCountry, deleteCountry, updateCountry } from "../../services/editing/countries";
import { createOrganization, deleteOrganization, updateOrganization } from "../../services/editing/organizations";
import { createPerson, deletePerson, updatePerson } from "../../services/editing/people";
import { createPosition, deletePosition, updatePosition } from "../../services/editing/positions";
import { createQuote, deleteQuote, updateQuote } from "../../services/editing/quotes";
import { ArticlePayloads, CountryPayloads, OrganizationPayloads, PersonPayloads, PositionPayloads, QuotePayloads } from "../../types/payloads";
import { createCrudMutations } from "./crud.mutation";

/** `createArticle`, `updateArticle` and `deleteArticle`. */
export const ArticleMutations = createCrudMutations({
  typeName: "Article",
  inputs: { create: CreateArticleInput, update: UpdateArticleInput, delete: DeleteArticleInput },
  payloads: ArticlePayloads,
  services: { create: createArticle, update: updateArticle, delete: deleteArticle },
  descriptions: {
    create: "Creates an article, without facts; use `addArticle` to add it with its people, quotes and positions in one go.",
    update: "Changes an article; a new body is refused while it would break the evidence of the article's quotes or positions.",
    delete: "Deletes an article together with its quotes and positions (each one recorded in the edit log).",
  },
});

/** `createCountry`, `updateCountry` and `deleteCountry`. */
export const CountryMutations = createCrudMutations({
  typeName: "Country",
  inputs: { create: CreateCountryInput, update: UpdateCountryInput, delete: DeleteCountryInput },
  payloads: CountryPayloads,
  services: { create: createCountry, update: updateCountry, delete: deleteCountry },
  descriptions: {
    create: "Creates a country. Its name, ISO codes and Wikidata ID must not be taken.",
    update: "Changes a country.",
    delete: "Deletes a country; refused (`CONFLICT`, listing them) while any person, organization, position or quote refers to it.",
  },
});

/** `createOrganization`, `updateOrganization` and `deleteOrganization`. */
export const OrganizationMutations = createCrudMutations({
  typeName: "Organization",
  inputs: { create: CreateOrganizationInput, update: UpdateOrganizationInput, delete: DeleteOrganizationInput },
  payloads: OrganizationPayloads,
  services: { create: createOrganization, update: updateOrganization, delete: deleteOrganization },
  descriptions: {
    create: "Creates an organization.",
    update: "Changes an organization; a new parent must not make it part of itself.",
    delete: "Deletes an organization; refused (`CONFLICT`, listing them) while any sub-organization, position or quote refers to it.",
  },
});

/** `createPerson`, `updatePerson` and `deletePerson`. */
export const PersonMutations = createCrudMutations({
  typeName: "Person",
  inputs: { create: CreatePersonInput, update: UpdatePersonInput, delete: DeletePersonInput },
  payloads: PersonPayloads,
  services: { create: createPerson, update: updatePerson, delete: deletePerson },
  descriptions: {
    create: "Creates a person.",
    update: "Changes a person.",
    delete: "Deletes a person together with their positions; refused (`CONFLICT`, listing them) while quotes name them as speaker.",
  },
});

/** `createPosition`, `updatePosition` and `deletePosition`. */
export const PositionMutations = createCrudMutations({
  typeName: "Position",
  inputs: { create: CreatePositionInput, update: UpdatePositionInput, delete: DeletePositionInput },
  payloads: PositionPayloads,
  services: { create: createPosition, update: updatePosition, delete: deletePosition },
  descriptions: {
    create: "Creates a position with its evidence; the offsets must lie inside the article.",
    update: "Changes a position; the result must still satisfy every rule (evidence inside the article, end date not before start date).",
    delete: "Deletes a position.",
  },
});

/** `createQuote`, `updateQuote` and `deleteQuote`. */
export const QuoteMutations = createCrudMutations({
  typeName: "Quote",
  inputs: { create: CreateQuoteInput, update: UpdateQuoteInput, delete: DeleteQuoteInput },
  payloads: QuotePayloads,
  services: { create: createQuote, update: updateQuote, delete: deleteQuote },
  descriptions: {
    create: "Creates a quote with its evidence; the offsets must lie inside the article and a direct quote must equal its slice exactly.",
    update: "Changes a quote; the result must still satisfy every rule (a direct quote still equals its evidence).",
    delete: "Deletes a quote.",
  },
});
